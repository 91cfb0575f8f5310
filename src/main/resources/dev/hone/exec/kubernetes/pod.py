# The command of every pod Hone creates (python3 -c): fetch the run directory's part this command needs from Hone,
# run the command in the workspace with its output on the container's, send back what it changed, exit with its code.
# Standard library only: it runs in the run's image, whatever that holds beside Python.
import io, os, signal, subprocess, sys, tarfile, time, urllib.request

env = os.environ
url = env.pop("HONE_TRANSFER_URL", "")
token = env.pop("HONE_TRANSFER_TOKEN", "")
command = env.pop("HONE_COMMAND")
run_dir = env.pop("HONE_RUN_DIR")
workspace = env.pop("HONE_WORKSPACE")
output = env.get("HONE_OUTPUT")
# how long the output may wait for Hone (a Hone that restarts adopts the pod and accepts its token again)
patience = float(env.pop("HONE_TRANSFER_PATIENCE", "300"))


def call(method, path, data=None):
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token})
    return urllib.request.urlopen(request, timeout=600)


def extract(archive, into):
    try:
        archive.extractall(into, filter="data")
    except TypeError:  # a Python without extraction filters
        archive.extractall(into)


def files(root):
    found = {}
    for parent, _, names in os.walk(root):
        for name in names:
            path = os.path.join(parent, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            found[path] = (st.st_size, st.st_mtime_ns)
    return found


if url:
    try:
        with call("GET", "/in") as answer:
            extract(tarfile.open(fileobj=io.BytesIO(answer.read())), run_dir)
    except Exception as e:
        print("hone: could not fetch the workspace from %s: %s" % (url, e), file=sys.stderr, flush=True)
        sys.exit(125)
os.makedirs(workspace, exist_ok=True)
if output:
    os.makedirs(output, exist_ok=True)
before = files(workspace)

child = subprocess.Popen(["sh", "-c", command], cwd=workspace, stdin=subprocess.DEVNULL, start_new_session=True)


def stop(signum, frame):
    try:
        os.killpg(child.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


signal.signal(signal.SIGTERM, stop)
code = child.wait()
if code < 0:
    code = 128 - code

if url:
    sent = io.BytesIO()
    with tarfile.open(fileobj=sent, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, stat in files(workspace).items():
            if before.get(path) != stat:
                archive.add(path, arcname=os.path.relpath(path, run_dir), recursive=False)
        if output and os.path.isdir(output):
            for path in files(output):
                archive.add(path, arcname=os.path.relpath(path, run_dir), recursive=False)
    deadline, delay = time.time() + patience, 0.5
    while True:
        try:
            call("PUT", "/out", sent.getvalue()).close()
            break
        except Exception as e:
            if time.time() + delay > deadline:
                print("hone: could not send the output to %s: %s" % (url, e), file=sys.stderr, flush=True)
                code = code or 125
                break
            time.sleep(delay)
            delay = min(delay * 2, 10)
sys.exit(code)
