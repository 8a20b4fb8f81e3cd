"""The social map (sociale kaart): who helps with what, where. Everyone signed in searches it;
leads and admins maintain it; admins import and export it as CSV."""
