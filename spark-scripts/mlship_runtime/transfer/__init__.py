"""model.basedOn: a registered version as the starting point of a related model (docs/transfer.md)."""
