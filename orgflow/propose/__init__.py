"""orgflow propose: restructuring proposals that put the office in parallel."""
