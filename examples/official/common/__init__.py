"""Shared by the examples in examples/official: the command line, logging and
stop handling, observers that log and save, file senders, and test data."""
