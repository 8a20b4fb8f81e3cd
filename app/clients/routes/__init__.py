"""The views of the clients blueprint, one module per part of the client file.

- ``file``: registering a person, their file, profile and phase;
- ``relations``: consent, context, companions, buddy, team, transfer and merge;
- ``lists``: my caseload, the team list, search and bulk reassignment.
"""

from app.clients.routes import file, lists, relations  # noqa: F401
