"""Letter templates rendered in a child process with hard limits, every time: the save-time
check, the administrator's preview, a new draft, a regenerated draft and a correction.

A template is administrator-written code. Jinja's sandbox stops it reaching outside the letter's
fields, but not from running long or eating memory, and a time limit inside the server process
cannot interrupt every Python or C operation (one `str.center(10**9)` allocates a gigabyte in a
single call). So each render runs in a fresh interpreter (`python -I`, given no environment, so
no database URL or key reaches it) that:
- stops itself after RENDER_SECONDS per letter (SIGALRM, raised in the template's own frame, so
  the message can name the line it was on), and is killed by the parent soon after in any case;
- may use at most MEMORY_BYTES more memory than it started with (RLIMIT_AS: an allocation past
  it is a MemoryError, reported like any other failure) and a little CPU time (RLIMIT_CPU);
- stops as soon as the output passes MAX_OUTPUT_CHARS.
Measured on these machines: about 0.19 s per render, mostly the child's start and `import
jinja2`; rendering the seeded letters takes milliseconds. Letters are made a few times a day.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.letters import render
from app.letters.render import (
    RENDER_SECONDS,
    SAMPLE_DESCRIPTIONS,
    TemplateFailed,
    TemplateProblem,
    sample_fields,
)

log = logging.getLogger("lado.letters")

MEMORY_BYTES = 256 * 1024 * 1024
#: Time the child may take to start and to answer, on top of RENDER_SECONDS per letter.
STARTUP_SECONDS = 10.0
TOO_SLOW = (
    f"The letter takes too long to make (more than {RENDER_SECONDS:g} seconds): look for loops within loops"
)
TOO_BIG = "The letter needs more memory than a letter may use: look for very long repetitions or padding"
#: The child: isolated (-I: no environment, user site or current directory), told where the app
#: is, so it starts the same whether the app is installed or run from a checkout.
_ROOT = str(Path(__file__).resolve().parents[2])
CHILD = [
    sys.executable,
    "-I",
    "-c",
    f"import sys; sys.path.insert(0, {_ROOT!r}); from app.letters.sandbox import _child; _child()",
]


def render_in_child(source: str, letters: list[dict[str, Any]]) -> list[str]:
    """The raw text of each letter, or TemplateFailed with the first problem (and which letter)."""
    request = json.dumps({"source": source, "letters": letters}).encode()
    try:
        done = subprocess.run(
            CHILD,
            input=request,
            capture_output=True,
            env={"LANG": "C.UTF-8"},
            timeout=RENDER_SECONDS * len(letters) + STARTUP_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise TemplateFailed(TemplateProblem(None, TOO_SLOW)) from None
    try:
        answer = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        log.warning("letter template child failed (exit %s): %s", done.returncode, done.stderr[-2000:])
        if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            reason = TOO_SLOW
        elif b"MemoryError" in done.stderr:
            reason = TOO_BIG
        else:
            reason = "The letter could not be made: the template renderer failed (the server log says why)"
        raise TemplateFailed(TemplateProblem(None, reason))
    if problem := answer.get("problem"):
        raise TemplateFailed(
            TemplateProblem(problem["line"], problem["reason"]),
            index=answer.get("index", 0),
            undefined=bool(answer.get("undefined")),
        )
    return answer["texts"]


# ---- the child ----------------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise _TooSlow()


def _limit_resources(letters: int) -> None:
    import resource

    try:
        with open("/proc/self/statm") as f:
            in_use = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        in_use = 512 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (in_use + MEMORY_BYTES, in_use + MEMORY_BYTES))
    seconds = int(RENDER_SECONDS * letters) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _child() -> None:
    request = json.loads(sys.stdin.buffer.read())
    try:
        template = render.compile_template(request["source"])
    except render.TemplateSyntaxError as exc:
        reason = exc.message or "the template cannot be read"
        failure = {"index": 0, "problem": {"line": exc.lineno, "reason": reason}}
        sys.stdout.buffer.write(json.dumps(failure).encode("ascii"))
        return
    signal.signal(signal.SIGALRM, _alarm)
    _limit_resources(len(request["letters"]))
    texts: list[str] = []
    answer: dict[str, Any] = {"texts": texts}
    for index, fields in enumerate(request["letters"]):
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
        try:
            texts.append(render.render_capped(template, fields))
        except _TooSlow as exc:
            answer = {"index": index, "problem": {"line": render.template_line(exc), "reason": TOO_SLOW}}
        except MemoryError as exc:
            answer = {"index": index, "problem": {"line": render.template_line(exc), "reason": TOO_BIG}}
        except Exception as exc:  # the template's own failure: reported with its line
            problem = render.problem_of(exc)
            answer = {
                "index": index,
                "undefined": isinstance(exc, render.UndefinedError),
                "problem": {"line": problem.line, "reason": problem.reason},
            }
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if "problem" in answer:
            break
    sys.stdout.buffer.write(json.dumps(answer).encode("ascii"))


def check_template(source: str) -> TemplateProblem | None:
    """The first problem with a template, or None if it is fit to save."""
    if (problem := render.static_problem(source)) is not None:
        return problem
    samples = [True, False]
    try:
        render_in_child(source, [sample_fields(full=full) for full in samples])
    except TemplateFailed as exc:
        problem = exc.problem
        if exc.undefined:
            problem = TemplateProblem(
                problem.line,
                f"{problem.reason} (for a letter with {SAMPLE_DESCRIPTIONS[samples[exc.index]]})",
            )
        return problem
    return None


def render_letter(source: str, fields: dict[str, Any]) -> str:
    """The letter's text, or TemplateFailed naming the line (a branch no sample letter reached)."""
    return render.normalise(render_in_child(source, [fields])[0])
