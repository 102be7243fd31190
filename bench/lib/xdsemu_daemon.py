"""`xdsemu up` for the Python bench scripts: a daemon in a temporary state directory, its /proc
counters and its API (with the kubeconfig's bearer token, when it has one)."""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


class Daemon:
    def __init__(self, binary, step_ms, work, extra=()):
        self.state = os.path.join(work, "state")
        self.log = open(os.path.join(work, "up.log"), "w+")
        self.proc = subprocess.Popen(
            [binary, "up", "--state-dir", self.state, "--step-ms", str(step_ms), *extra],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=work)
        deadline = time.monotonic() + 60
        while True:
            self.log.seek(0)
            if "export KUBECONFIG=" in self.log.read():
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                sys.exit("xdsemu up did not start:\n" + self.log.read())
            time.sleep(0.1)
        self.kubeconfig = os.path.join(self.state, "kubeconfig")
        config = open(self.kubeconfig).read()
        self.server = re.search(r"server: (\S+)", config).group(1).rstrip("/")
        token = re.search(r"token: (\S+)", config)
        self.headers = {"Authorization": "Bearer " + token.group(1).strip("'\"")} if token else {}

    def cpu(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime

    def rss_mb(self, field="VmRSS"):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return 0.0

    def request(self, path):
        """A request for `path` (or a full URL) carrying the credential."""
        return urllib.request.Request(path if "://" in path else self.server + path, headers=self.headers)

    def get(self, path, timeout=120):
        with urllib.request.urlopen(self.request(path), timeout=timeout) as r:
            return json.load(r)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
