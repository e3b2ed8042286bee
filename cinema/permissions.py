"""Cinema's permission strings ("app_label.codename"), named once for views, menus and roles."""

SCHEDULE_SHOWS = "cinema.schedule_shows"
