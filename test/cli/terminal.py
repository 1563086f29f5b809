# Runs a command in a pseudo-terminal (stdin, stdout and stderr all the terminal), answers
# ANSWER once PROMPT has appeared, copies everything the terminal shows to stdout, and exits
# with the command's exit code. Used by apply.test.ts:
#   python3 test/cli/terminal.py <prompt> <answer> <command> [args...]
# With TERMINAL_ANSWER_WHEN=<path>, the answer waits (up to 60 s) until that file exists, so
# that a test can change the database between the plan and the confirmation.
import os
import pty
import sys
import time

prompt, answer, argv = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

seen = b''
answered = False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()
    if not answered and prompt in seen:
        go = os.environ.get('TERMINAL_ANSWER_WHEN')
        deadline = time.monotonic() + 60
        while go and not os.path.exists(go) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.write(fd, answer + b'\n')
        answered = True
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
