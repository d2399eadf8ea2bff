"""Update math: turning a parent version's training state and the new rows' state into a child model."""
