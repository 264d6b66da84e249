"""Reading and checking menu files: the YAML reader that keeps positions, the scalar
parsers, the declarative format and its JSON Schema, the whole-file checks that build a
``Line``, the warnings, the switch file and who owns which number.

It may import yaml and ``ivr.core``; it never imports the server, the simulator or the
admin CLI, nor flask, twilio or click.
"""
