"""Check what a well-shaped protocol means: references between steps and roles.

Run only on a `Protocol` that passed the schema. Every check reports all it
finds, each at the path of the value to change, so the loader can name a line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence

from protocols.problems import Finding
from protocols.schema import (
    CASE_OWNER,
    EVERYONE,
    CollectStep,
    InstructionStep,
    PickStep,
    Protocol,
    ReflectStep,
    RespondStep,
    RoundRobinStep,
    SpeakStep,
    Step,
    VoteStep,
)
from protocols.sector import WORDS, texts, unknown_tokens
from protocols.wording import did_you_mean, listing

Check = Callable[[Protocol], Iterator[Finding]]


def _repeats(values: Sequence[Hashable]) -> Iterator[tuple[int, int]]:
    """(index, index of the first occurrence) for every value that repeats an earlier one."""
    first: dict[Hashable, int] = {}
    for index, value in enumerate(values):
        if value in first:
            yield index, first[value]
        else:
            first[value] = index


def unique_step_ids(protocol: Protocol) -> Iterator[Finding]:
    for index, first in _repeats([step.id for step in protocol.steps]):
        yield Finding(
            ("steps", index, "id"),
            f"step id '{protocol.steps[index].id}' is already used by steps[{first}]",
        )


def unique_role_ids(protocol: Protocol) -> Iterator[Finding]:
    for index, first in _repeats([role.id for role in protocol.roles]):
        yield Finding(
            ("roles", index, "id"),
            f"role id '{protocol.roles[index].id}' is already used by roles[{first}]",
        )


def no_role_named_everyone(protocol: Protocol) -> Iterator[Finding]:
    for index, role in enumerate(protocol.roles):
        if role.id == EVERYONE:
            yield Finding(
                ("roles", index, "id"),
                f"'{EVERYONE}' is reserved for all participants in actors:; "
                "give the role another id",
            )


def _role_list(protocol: Protocol) -> str:
    return listing([*(role.id for role in protocol.roles), EVERYONE])


def actors_are_roles(protocol: Protocol) -> Iterator[Finding]:
    role_ids = [role.id for role in protocol.roles]
    for index, step in enumerate(protocol.steps):
        for position, actor in enumerate(step.actors):
            if actor != EVERYONE and actor not in role_ids:
                yield Finding(
                    ("steps", index, "actors", position),
                    f"'{actor}' is not a declared role; "
                    f"{did_you_mean(actor, [*role_ids, EVERYONE])}"
                    f"actors are: {_role_list(protocol)}",
                )


def actors_listed_once(protocol: Protocol) -> Iterator[Finding]:
    for index, step in enumerate(protocol.steps):
        for position, first in _repeats(step.actors):
            yield Finding(
                ("steps", index, "actors", position),
                f"'{step.actors[position]}' is already listed as actors[{first}]",
            )
        if EVERYONE in step.actors and len(set(step.actors)) > 1:
            yield Finding(
                ("steps", index, "actors"),
                f"'{EVERYONE}' already includes every role; list either {EVERYONE} or roles",
            )


def listeners_are_roles_that_do_not_act(protocol: Protocol) -> Iterator[Finding]:
    """A step's `listeners` read along: declared roles, and not among its actors."""
    role_ids = [role.id for role in protocol.roles]
    for index, step in enumerate(protocol.steps):
        for position, listener in enumerate(step.listeners):
            where = ("steps", index, "listeners", position)
            if listener not in role_ids:
                yield Finding(
                    where,
                    f"'{listener}' is not a declared role; "
                    f"{did_you_mean(listener, role_ids)}roles are: {listing(role_ids)}",
                )
            elif listener in step.actors or EVERYONE in step.actors:
                yield Finding(where, f"'{listener}' acts in this step; a listener only reads along")


def _earlier(steps: Sequence[Step], index: int) -> str:
    return listing(step.id for step in steps[:index])


def _earlier_collects(steps: Sequence[Step], index: int) -> list[str]:
    return [step.id for step in steps[:index] if isinstance(step, CollectStep)]


def sources_are_earlier_collect_steps(protocol: Protocol) -> Iterator[Finding]:
    steps = protocol.steps
    positions = {step.id: i for i, step in reversed(list(enumerate(steps)))}
    for index, step in enumerate(steps):
        if not isinstance(step, VoteStep | RespondStep | PickStep | RoundRobinStep):
            continue
        source = step.source
        if source is None:
            continue
        loc = ("steps", index, "source")
        found = positions.get(source)
        collects = _earlier_collects(steps, index)
        if found is None:
            earlier_ids = [other.id for other in steps[:index]]
            yield Finding(
                loc,
                f"'{source}' is not an earlier step; {did_you_mean(source, earlier_ids)}"
                f"earlier steps are: {_earlier(steps, index)}",
            )
        elif found == index:
            yield Finding(
                loc,
                f"a step cannot use its own items; the source must be an earlier collect step: "
                f"{listing(collects)}",
            )
        elif found > index:
            yield Finding(
                loc,
                f"'{source}' comes later (steps[{found}]); the source must be an earlier step; "
                f"earlier steps are: {_earlier(steps, index)}",
            )
        elif not isinstance(steps[found], CollectStep):
            yield Finding(
                loc,
                f"'{source}' is a {steps[found].kind} step; the source of a {step.kind} step "
                f"must be a collect step; earlier collect steps are: {listing(collects)}",
            )


def _showable(step: Step) -> str | None:
    """Why a step has nothing the group's card could show again, or None when it has."""
    if isinstance(step, InstructionStep | ReflectStep):
        article = "an" if step.kind[0] in "aeiou" else "a"
        return f"is {article} {step.kind} step and leaves nothing to show"
    if isinstance(step, CollectStep) and step.visibility == "case_owner":
        return "holds items for the case owner alone (visibility: case_owner)"
    return None


def shows_earlier_steps(protocol: Protocol) -> Iterator[Finding]:
    """Each `shows:` entry names an earlier step with something the group may read."""
    steps = protocol.steps
    positions = {step.id: i for i, step in reversed(list(enumerate(steps)))}
    for index, step in enumerate(steps):
        for position, first in _repeats(step.shows):
            yield Finding(
                ("steps", index, "shows", position),
                f"'{step.shows[position]}' is already shows[{first}]",
            )
        can_show = [other.id for other in steps[:index] if _showable(other) is None]
        choices = f"earlier steps it can show are: {listing(can_show)}"
        for position, shown in enumerate(step.shows):
            loc = ("steps", index, "shows", position)
            found = positions.get(shown)
            if found is None:
                yield Finding(
                    loc,
                    f"'{shown}' is not an earlier step; {did_you_mean(shown, can_show)}{choices}",
                )
            elif found == index:
                yield Finding(
                    loc, f"a step shows its own items anyway; name earlier steps only; {choices}"
                )
            elif found > index:
                yield Finding(
                    loc,
                    f"'{shown}' comes later (steps[{found}]); a step can only show what "
                    f"earlier steps brought; {choices}",
                )
            elif (why := _showable(steps[found])) is not None:
                yield Finding(loc, f"'{shown}' {why}; {choices}")


def votes_use_items_all_can_see(protocol: Protocol) -> Iterator[Finding]:
    for index, step in enumerate(protocol.steps):
        if not isinstance(step, VoteStep):
            continue
        # A source that is not earlier is reported by its own check.
        source = next((s for s in protocol.steps[:index] if s.id == step.source), None)
        if isinstance(source, CollectStep) and source.visibility == "case_owner":
            yield Finding(
                ("steps", index, "source"),
                f"the items of '{source.id}' are seen by the case owner alone "
                "(visibility: case_owner), so the group cannot vote on them",
            )


def vote_roles(protocol: Protocol) -> Iterator[Finding]:
    """Each role chosen by vote has one vote step, and nobody acts in it before that vote."""
    role_ids = [role.id for role in protocol.roles]
    voted_by: dict[str, int] = {}
    for index, step in enumerate(protocol.steps):
        if not isinstance(step, VoteStep) or step.assigns_role is None:
            continue
        loc = ("steps", index, "assigns_role")
        role = protocol.role(step.assigns_role)
        if role is None:
            yield Finding(
                loc,
                f"'{step.assigns_role}' is not a declared role; "
                f"{did_you_mean(step.assigns_role, role_ids)}roles are: {listing(role_ids)}",
            )
        elif role.assign != "vote":
            yield Finding(
                loc,
                f"role '{role.id}' has assign: {role.assign}; a vote can only assign a role "
                "with assign: vote",
            )
        elif role.id in voted_by:
            earlier = protocol.steps[voted_by[role.id]].id
            yield Finding(
                loc,
                f"role '{role.id}' is already assigned by the vote of step '{earlier}'; "
                "a role is chosen once",
            )
        else:
            voted_by[role.id] = index

    for role_index, role in enumerate(protocol.roles):
        if role.assign != "vote":
            continue
        if role.id not in voted_by:
            yield Finding(
                ("roles", role_index, "assign"),
                f"role '{role.id}' is assigned by vote, but no vote step has "
                f"assigns_role: {role.id}",
            )
            continue
        vote_index = voted_by[role.id]
        vote_id = protocol.steps[vote_index].id
        for index, step in enumerate(protocol.steps[: vote_index + 1]):
            for position, actor in enumerate(step.actors):
                if actor == role.id:
                    yield Finding(
                        ("steps", index, "actors", position),
                        f"'{role.id}' acts here, but is only chosen by the vote of step "
                        f"'{vote_id}' (steps[{vote_index}]); move this step after the vote "
                        "or choose other actors",
                    )


def one_everyone_else_role(protocol: Protocol) -> Iterator[Finding]:
    first: str | None = None
    for index, role in enumerate(protocol.roles):
        if role.assign != "everyone_else":
            continue
        if first is None:
            first = role.id
        else:
            yield Finding(
                ("roles", index, "assign"),
                f"role '{first}' already takes everyone else; only one role can",
            )


def single_person_roles(protocol: Protocol) -> Iterator[Finding]:
    # The engine gives the case owner alone the items, the answers and the picks.
    for index, role in enumerate(protocol.roles):
        if role.id == CASE_OWNER and role.assign == "everyone_else":
            yield Finding(
                ("roles", index, "assign"),
                f"the {CASE_OWNER} is one person; everyone_else would make it many",
            )


def case_owner_declared(protocol: Protocol) -> Iterator[Finding]:
    if protocol.role(CASE_OWNER) is not None:
        return
    for index, step in enumerate(protocol.steps):
        if isinstance(step, RespondStep | PickStep):
            yield Finding(
                ("steps", index, "kind"),
                f"a {step.kind} step is done by the case owner; declare a role with "
                f"id: {CASE_OWNER}",
            )
        elif isinstance(step, CollectStep) and step.visibility == "case_owner":
            yield Finding(
                ("steps", index, "visibility"),
                f"visibility: case_owner needs a case owner; declare a role with id: {CASE_OWNER}",
            )


def case_owner_items_after_case_owner_known(protocol: Protocol) -> Iterator[Finding]:
    vote = next(
        (
            index
            for index, step in enumerate(protocol.steps)
            if isinstance(step, VoteStep) and step.assigns_role == CASE_OWNER
        ),
        None,
    )
    if vote is None:
        return
    for index, step in enumerate(protocol.steps[:vote]):
        if isinstance(step, CollectStep) and step.visibility == "case_owner":
            yield Finding(
                ("steps", index, "visibility"),
                f"the case owner is only chosen in step '{protocol.steps[vote].id}' "
                f"(steps[{vote}]); nobody could read these items",
            )


def group_size_in_order(protocol: Protocol) -> Iterator[Finding]:
    size = protocol.group_size
    if size.min > size.max:
        yield Finding(("group_size", "max"), f"max ({size.max}) is smaller than min ({size.min})")


def per_person_bounds_in_order(protocol: Protocol) -> Iterator[Finding]:
    for index, step in enumerate(protocol.steps):
        pairs: list[tuple[str, int, str, int]] = []
        if isinstance(step, CollectStep | SpeakStep):
            pairs.append(
                ("min_per_person", step.min_per_person, "max_per_person", step.max_per_person)
            )
        if isinstance(step, PickStep):
            pairs.append(("min_picks", step.min_picks, "max_picks", step.max_picks))
        for low_name, low, high_name, high in pairs:
            if low > high:
                yield Finding(
                    ("steps", index, low_name),
                    f"{low_name} ({low}) is larger than {high_name} ({high})",
                )
        if isinstance(step, CollectStep) and step.live_max_per_person is not None:
            cap = step.live_max_per_person
            if not step.min_per_person <= cap <= step.max_per_person:
                yield Finding(
                    ("steps", index, "live_max_per_person"),
                    f"live_max_per_person ({cap}) must lie between min_per_person "
                    f"({step.min_per_person}) and max_per_person ({step.max_per_person})",
                )


def labels(protocol: Protocol) -> Iterator[Finding]:
    for index, step in enumerate(protocol.steps):
        if not isinstance(step, RespondStep):
            continue
        if len(step.labels) == 1:
            yield Finding(
                ("steps", index, "labels"),
                "one label leaves nothing to choose; give two or more, or none",
            )
        for position, first in _repeats([label.id for label in step.labels]):
            yield Finding(
                ("steps", index, "labels", position, "id"),
                f"label id '{step.labels[position].id}' is already used by labels[{first}]",
            )


def aliases(protocol: Protocol) -> Iterator[Finding]:
    for index, alias in enumerate(protocol.aliases):
        if alias == protocol.id:
            yield Finding(
                ("aliases", index), f"'{alias}' is the id itself; an alias is another name"
            )
    for index, first in _repeats(protocol.aliases):
        yield Finding(
            ("aliases", index), f"alias '{protocol.aliases[index]}' is already aliases[{first}]"
        )


def modes_listed_once(protocol: Protocol) -> Iterator[Finding]:
    for index, first in _repeats(protocol.modes):
        yield Finding(("modes", index), f"'{protocol.modes[index]}' is already modes[{first}]")


def sector_words(protocol: Protocol) -> Iterator[Finding]:
    for loc, language, text in texts(protocol.model_dump(mode="json")):
        for token in unknown_tokens(text, language):
            known = [f"{{{name}}}" for name in WORDS[language]]
            yield Finding(
                loc,
                f"{token} is not a sector word in {language}; "
                f"{did_you_mean(token, known)}sector words are: {listing(known)}",
            )


CHECKS: tuple[Check, ...] = (
    unique_step_ids,
    unique_role_ids,
    no_role_named_everyone,
    actors_are_roles,
    actors_listed_once,
    listeners_are_roles_that_do_not_act,
    sources_are_earlier_collect_steps,
    shows_earlier_steps,
    votes_use_items_all_can_see,
    vote_roles,
    one_everyone_else_role,
    single_person_roles,
    case_owner_declared,
    case_owner_items_after_case_owner_known,
    group_size_in_order,
    per_person_bounds_in_order,
    labels,
    aliases,
    modes_listed_once,
    sector_words,
)


def anonymity_warnings(protocol: Protocol) -> list[Finding]:
    """Combinations under which anonymous items cannot stay anonymous. Not errors (the
    protocol works), but the school should know before it promises anonymity."""
    anonymous = {s.id for s in protocol.steps if isinstance(s, CollectStep) and s.anonymous}
    found: list[Finding] = []
    for index, step in enumerate(protocol.steps):
        if isinstance(step, CollectStep) and step.anonymous and len(step.actors) == 1:
            role = protocol.role(step.actors[0])
            if role is not None and role.assign != "everyone_else":
                found.append(
                    Finding(
                        ("steps", index, "anonymous"),
                        f"only the {role.id} writes here, one person: everyone knows who wrote it",
                    )
                )
        source = getattr(step, "source", None)
        if source not in anonymous:
            continue
        if isinstance(step, VoteStep) and step.assigns_role:
            found.append(
                Finding(
                    ("steps", index, "assigns_role"),
                    f"the items of '{source}' are anonymous, but this vote makes the author "
                    f"of the winning item {step.assigns_role}: then everyone knows who wrote it",
                )
            )
        if isinstance(step, RoundRobinStep):
            found.append(
                Finding(
                    ("steps", index, "source"),
                    f"the items of '{source}' are anonymous, but a round robin goes person "
                    "by person: whoever speaks to an item shows it is theirs",
                )
            )
    return found


def check_protocol(protocol: Protocol) -> list[Finding]:
    """Every problem of meaning in `protocol`, check by check."""
    return [finding for check in CHECKS for finding in check(protocol)]
