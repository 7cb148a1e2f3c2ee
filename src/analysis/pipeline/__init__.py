"""Pipeline: each table's one producer, its parameters, the staged build, publication,
corpus mode."""
