"""Polls (ý kiến thăm dò): questions, choices and anonymous votes."""
