"""BPMN execution: element lifecycle, element processors and the behaviours they compose."""
