"""Reference data that every layer may read and none computes from the store: codes and their labels,
calendars, and the small tables SQL joins to them (`tables.register`)."""
