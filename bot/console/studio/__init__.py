"""The marketer studio: stage editor in forms, inline problems, simulator, history (issue 18).

The form is described by `spec` (derived from the policy schema and the action registry,
so a new action or field gets a form without a change here); `yaml_form` writes a form
back into the file's YAML, keeping everything it did not change byte for byte.
"""
