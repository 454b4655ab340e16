"""`fluxzoo check`: rules over entries, findings as data, and the formats they are printed in."""
