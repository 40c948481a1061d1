"""Runtime: the durable log, the single-writer broker, clocks, exporters and the node root."""
