"""Plans in and out of the tools everyone else uses: MS Project XML (MSPDI), TaskJuggler, XER.

Readers turn a foreign file into plan text (``importing.import_file``); writers turn a
scheduled plan into a foreign file (``mspdi_writer``, ``tjp_writer``), and ``export``
lists them beside its own formats. The writers live here, not in ``export``, because an
interchange format is one mapping read both ways: the reader and the writer of MSPDI share
their codes and must be changed together. Sits above ``portfolio`` and below ``render``:
it may import ``common``, ``worktime``, ``planfile``, ``engine``, ``findings``, ``risk``
and ``portfolio``, and is imported by ``export`` and ``cli``.
"""
