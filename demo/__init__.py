"""Local demo: a supervisor that runs the whole checkout system, and a scripted demo client."""
