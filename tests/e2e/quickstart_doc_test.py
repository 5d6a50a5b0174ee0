#!/usr/bin/env python3
"""Runs docs/quickstart.md as a newcomer would, against a fresh mpayd, and checks what it shows.

The quickstart is the issue's definition of done for merchants and request-to-pay, so it must
keep working as the code changes. Every indented command of the document runs, in order, in one
bash session (so its variables carry over), in a fresh directory where ./data is mpayd's data
directory, ./build holds the binaries and ./examples the examples:
  - `make run` is replaced by the mpayd under test, on a free port (the document's 8080 and the
    receiver's 8090 are replaced by free ports everywhere);
  - the command marked "in the third terminal" (the webhook receiver) runs in the background;
  - commands with a placeholder (`<user_id>`) are skipped.
What the document shows after a command (a `# ...` line below it, or a `# ...` comment at the
end of it) is checked: each `"key":value` pair shown must be in the command's output (or, for
`VAR=$(...)`, in the variable), except values elided with "...". Every command must exit 0, no
output may be an error object, and every variable set must be non-empty. Finally the receiver
must have printed the document's webhooks, with valid signatures.

Python 3 standard library only. Ends with a line `N passed, N failed`.
"""
import argparse
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time

PAIR = re.compile(r'"([A-Za-z_]+)":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)')
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=\$\(")
INLINE_COMMENT = re.compile(r"\s{2,}#\s(.*)$")


class Step:
    def __init__(self, line_number, command):
        self.line_number = line_number
        self.command = command
        self.expected = []  # texts the document shows for it
        self.background = False
        self.variable = None


def parse_steps(markdown_path):
    """The document's commands, in order, with what it shows after each."""
    steps = []
    lines = open(markdown_path, encoding="utf-8").read().split("\n")
    in_code = False
    previous_blank = True
    pending = None  # a command continued with a backslash
    for number, raw in enumerate(lines, start=1):
        indented = raw.startswith("    ") and raw.strip() != ""
        if not indented:
            in_code = False if raw.strip() != "" else in_code
            previous_blank = raw.strip() == ""
            continue
        if not in_code and not previous_blank:
            continue  # a list item's continuation, not a code block
        in_code = True
        text = raw.strip()
        if pending is not None:
            pending.command += "\n" + text
            if not text.endswith("\\"):
                finish_step(pending)
                pending = None
            continue
        if text.startswith("#"):
            if steps:
                steps[-1].expected.append(text[1:].strip())
            continue
        step = Step(number, text)
        steps.append(step)
        if text.endswith("\\"):
            pending = step
        else:
            finish_step(step)
    return steps


def finish_step(step):
    last_line = step.command.split("\n")[-1]
    comment = INLINE_COMMENT.search(last_line)
    if comment:
        step.command = step.command[: len(step.command) - len(last_line) + comment.start()]
        step.expected.append(comment.group(1))
        step.background = "third terminal" in comment.group(1)
    assigned = ASSIGNMENT.match(step.command)
    step.variable = assigned.group(1) if assigned else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def build_script(steps, work, mpayd_port, receiver_port, out_dir):
    """One bash script: each step's output, exit code and variable go to files in out_dir."""
    script = ["cd " + shlex.quote(work)]
    for index, step in enumerate(steps):
        command = step.command.replace("127.0.0.1:8080", f"127.0.0.1:{mpayd_port}")
        command = command.replace("8090", str(receiver_port))
        out = shlex.quote(os.path.join(out_dir, f"{index}"))
        if step.background:
            script.append(f"{command} > {out}.out 2>&1 &")
            script.append(f"echo 0 > {out}.rc")
            script.append(
                f"for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/{receiver_port}) 2>/dev/null"
                " && break; sleep 0.1; done")
            continue
        script.append(f"{{ {command}\n}} > {out}.out 2>&1; echo $? > {out}.rc")
        if step.variable:
            script.append(f'printf "%s" "${step.variable}" > {out}.var')
    return "\n".join(script) + "\n"


def check(steps, out_dir):
    failures = []
    passed = 0
    values_checked = 0
    for index, step in enumerate(steps):
        base = os.path.join(out_dir, f"{index}")
        where = f"quickstart.md:{step.line_number}: {step.command.splitlines()[0]}"
        if not os.path.exists(base + ".rc"):
            failures.append(f"{where}\n  did not run")
            continue
        rc = open(base + ".rc").read().strip()
        output = open(base + ".out", encoding="utf-8", errors="replace").read()
        shown = output
        problems = []
        if rc != "0":
            problems.append(f"exit status {rc}")
        if step.variable:
            shown = open(base + ".var", encoding="utf-8", errors="replace").read()
            if not shown:
                problems.append(f"${step.variable} is empty")
        if re.search(r'"error"\s*:', output + shown):
            problems.append("answered an error")
        if not step.background:
            for text in step.expected:
                for key, value in PAIR.findall(text):
                    if "..." in value:
                        continue
                    values_checked += 1
                    if f'"{key}":{value}' not in shown:
                        problems.append(f'shows "{key}":{value}, which is not in the output')
        if problems:
            failures.append(f"{where}\n  " + "\n  ".join(problems) + f"\n  output: {shown[:600]!r}")
        else:
            passed += 1
    return passed, failures, values_checked


def check_webhooks(receiver_output):
    """The document says the receiver prints the payment's and the refund's webhooks."""
    failures = []
    succeeded = re.search(r"^payment_request\.succeeded evt_\S+ payment_request=\S+ "
                          r"status=succeeded amount=25\.50$", receiver_output, re.M)
    if not succeeded:
        failures.append("the receiver printed no payment_request.succeeded for 25.50")
    if not re.search(r"^refund\.succeeded ", receiver_output, re.M):
        failures.append("the receiver printed no refund.succeeded")
    if "refused" in receiver_output:
        failures.append("the receiver refused a webhook's signature")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", required=True, help="the repository's root")
    parser.add_argument("--build", required=True, help="the directory holding mpayd and mpay")
    args = parser.parse_args()
    steps = parse_steps(os.path.join(args.source, "docs", "quickstart.md"))
    if not any("payment-requests" in step.command for step in steps):
        print("found no payment-request commands in docs/quickstart.md")
        print("0 passed, 1 failed")
        return 1
    placeholder = re.compile(r"<[a-z_]+>")
    steps = [s for s in steps if s.command != "make run" and not placeholder.search(s.command)]

    with tempfile.TemporaryDirectory(prefix="mpay-quickstart-") as work:
        os.symlink(os.path.abspath(args.build), os.path.join(work, "build"))
        os.symlink(os.path.join(os.path.abspath(args.source), "examples"),
                   os.path.join(work, "examples"))
        out_dir = os.path.join(work, ".steps")
        os.mkdir(out_dir)
        mpayd_port, receiver_port = free_port(), free_port()
        mpayd = subprocess.Popen(
            [os.path.join(args.build, "mpayd"), "--data", "./data", "--listen",
             f"127.0.0.1:{mpayd_port}"], cwd=work, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        receiver_output = ""
        try:
            if not wait_for_port(mpayd_port, 60):
                print("mpayd did not start:\n" + (mpayd.stdout.read() if mpayd.poll() else ""))
                print("0 passed, 1 failed")
                return 1
            script = build_script(steps, work, mpayd_port, receiver_port, out_dir)
            # A new process group, so that the background receiver goes with it.
            shell = subprocess.Popen(["bash", "-c", script], start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            try:
                _, errors = shell.communicate(timeout=240)
            except subprocess.TimeoutExpired:
                errors = "the quickstart's commands took longer than 240 s"
            time.sleep(1.0)  # the refund's webhook, sent a moment after the refund
            for index, step in enumerate(steps):
                if step.background:
                    receiver_output = open(os.path.join(out_dir, f"{index}.out")).read()
            try:
                os.killpg(shell.pid, 15)
            except ProcessLookupError:
                pass
            if errors.strip():
                print("bash said:\n" + errors)
        finally:
            mpayd.terminate()
            try:
                mpayd.wait(timeout=30)
            except subprocess.TimeoutExpired:
                mpayd.kill()

        passed, failures, values_checked = check(steps, out_dir)
        webhook_failures = check_webhooks(receiver_output)
        passed += 1 if not webhook_failures else 0
        failures += webhook_failures
    for failure in failures:
        print("FAILED " + failure)
    print(f"{len(steps)} commands of docs/quickstart.md run, {values_checked} values it shows "
          f"checked; the receiver printed:\n{receiver_output}")
    print(f"{passed} passed, {len(failures)} failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
