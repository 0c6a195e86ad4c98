"""Team insights: what a team's rounds add up to over a school year.

`numbers` counts (pure), `gather` reads the facts from storage (never a text
anyone wrote), `chart` draws them, `report` words them, `desk` answers the
chat commands, `page` serves the read-only web page, `dossier` writes one
person's own record.
"""
