"""orgflow simulate: a discrete-event simulation of the office."""
