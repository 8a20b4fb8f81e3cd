"""Backups you can restore: `flask backup create` and `flask backup restore`, and the
optional daily backup of the scheduler."""
