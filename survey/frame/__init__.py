"""Fieldwork: the sampling frame, invitation codes, letters, response rates and population counts.

Who was invited (``frame_households``, ``invitation_codes``) and what
residents answered (``responses``) live in separate tables with no column in
common that could join them: a code records only whether it was opened and
whether it gave a submitted response, never when nor which response; the
days are counted per area and language (``invitation_days``). The
modules each do one job:

- :mod:`.models`: the tables; :mod:`.codes`: making and reading codes;
- :mod:`.importing`: checking and storing a frame or population file;
- :mod:`.letters` and :mod:`.letter_texts`: the printed invitations;
- :mod:`.entry`: ``/k/<code>`` and the code box on the chooser;
- :mod:`.invitation`: claiming a code when its response is submitted;
- :mod:`.rates` and :mod:`.chart`: response rates and their SVG chart;
- :mod:`.console`: the staff page ``/admin/rates``; :mod:`.cli`: ``beboer frame``.
"""
