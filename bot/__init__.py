"""The running bot: engine, service, channels, scheduler, server and CLI."""
