"""Input limits, in one place: the answering service, the API schemas and the UI use these.

Limits that an operator may want to change (file sizes at intake, ...) are settings;
these are the fixed bounds of what one request may carry.
"""

from __future__ import annotations

QUESTION_CHARS = 2000  # one question (and a search query)
HISTORY_MESSAGES = 40  # earlier messages (20 exchanges); the service keeps the last ones
TURN_CHARS = 8000  # one earlier message
ANSWER_CHARS = 20000  # an answer sent back with feedback
REASON_CHARS = 2000  # the reason of a thumbs-down
BODY_BYTES = 64 * 1024  # one JSON request body of the API (/api, /v1)
# One request of the web app (Gradio's JSON routes). The UI sends the whole visible chat
# with each question: the history the service uses (HISTORY_MESSAGES of TURN_CHARS, up
# to 3 bytes a character in UTF-8, ~0.92 MiB) plus the question and Gradio's envelope.
UI_BODY_BYTES = 1024 * 1024
# Room for the multipart envelope (boundaries, part headers, form fields) of an upload
# on top of the file itself (whose limit is the max_file_mb setting).
UPLOAD_OVERHEAD_BYTES = 64 * 1024
SEARCH_K = 50  # passages one search may ask for
