"""The channels: each turns one platform's traffic into calls of the chat layer."""
