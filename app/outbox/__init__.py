"""The e-mail outbox: every message Gezel sends is a row here first (app/mail.py queues and
delivers), so a web request never waits on SMTP and nothing is lost while the server is down."""
