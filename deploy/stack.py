"""The production-like stack on one machine: nginx → two gunicorn instances, a Celery worker and Celery
beat, on the machine's PostgreSQL and Redis. `make stack` / `make stack-stop` call this.

    .venv/bin/python deploy/stack.py start | stop | status | restart NAME | kill NAME

Everything comes from the environment (README, "Production-like mode"). Each process runs in its own
session; its pid and command line are kept in STACK_DIR/NAME.pid, and `stop` ends exactly those
process groups (a recycled pid with another command line is left alone). Logs: STACK_DIR/NAME.log.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_IF_EMPTY = (
    "from oscar.core.loading import get_model; from django.core.management import call_command; "
    "get_model('catalogue', 'Product').objects.exists() or call_command('load_demo')"
)


def _default_db_url() -> str:
    return "postgres://postgres@127.0.0.1:5432/terroir_stack"


@dataclass
class StackConfig:
    stack_dir: Path = field(default_factory=lambda: Path(os.environ.get("STACK_DIR", ROOT / "var" / "stack")))
    port: int = field(default_factory=lambda: int(os.environ.get("STACK_PORT", "8080")))
    app_ports: list[int] = field(
        default_factory=lambda: [int(p) for p in os.environ.get("STACK_APP_PORTS", "8101,8102").split(",")]
    )
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL", _default_db_url()))
    # STACK_REDIS_PORT: the stack starts a redis-server of its own there (the fault scenario restarts it).
    own_redis_port: int | None = field(
        default_factory=lambda: int(os.environ.get("STACK_REDIS_PORT") or 0) or None
    )
    redis_url: str = ""
    client_max_body_size: str = field(default_factory=lambda: os.environ.get("STACK_MAX_BODY_SIZE", "20m"))
    worker_concurrency: int = field(default_factory=lambda: int(os.environ.get("CELERY_CONCURRENCY", "2")))
    load_demo: bool = field(default_factory=lambda: os.environ.get("STACK_DEMO", "1") == "1")
    nginx: str = field(default_factory=lambda: os.environ.get("NGINX", "nginx"))

    def __post_init__(self):
        self.stack_dir = Path(self.stack_dir).resolve()
        if not self.redis_url:
            own = f"redis://127.0.0.1:{self.own_redis_port}/0" if self.own_redis_port else ""
            self.redis_url = own or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def web_names(self) -> list[str]:
        return [f"web-{index}" for index in range(1, len(self.app_ports) + 1)]


class Stack:
    def __init__(self, config: StackConfig | None = None):
        self.config = config or StackConfig()
        self.dir = self.config.stack_dir

    # --- environment and commands --------------------------------------------------------------

    def app_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.config.database_url,
            REDIS_URL=self.config.redis_url,
            DJANGO_SETTINGS_MODULE="shop.settings",
            PROMETHEUS_MULTIPROC_DIR=str(self.dir / "metrics"),
        )
        env.setdefault("DEBUG", "False")
        env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        env.setdefault("LOG_FORMAT", "json")
        env.setdefault("LOG_LEVEL", "INFO")
        env.setdefault("STATIC_ROOT", str(ROOT / "var" / "static"))
        env.setdefault("MEDIA_ROOT", str(ROOT / "var" / "media"))
        env.setdefault("EMAIL_URL", f"filemail:///{self.dir / 'mail'}")  # one file per e-mail sent
        return env

    def commands(self) -> dict[str, list[str]]:
        commands = {}
        if self.config.own_redis_port:
            commands["redis"] = [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.config.own_redis_port), "--bind", "127.0.0.1",
                # A broker keeps its queue across a restart: append-only file, synced every second.
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(self.dir),
            ]  # fmt: skip
        for name, port in zip(self.config.web_names(), self.config.app_ports, strict=True):
            commands[name] = [
                str(BIN / "gunicorn"), "shop.wsgi", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                "-b", f"127.0.0.1:{port}", "--name", f"terroir-{name}",
                "--control-socket", str(self.dir / f"{name}.ctl"),
            ]  # fmt: skip
        commands["worker"] = [
            str(BIN / "celery"), "-A", "shop", "worker", "-l", "INFO", "-n", f"worker@{self.dir.name}",
            "--concurrency", str(self.config.worker_concurrency), "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        commands["beat"] = [
            str(BIN / "celery"), "-A", "shop", "beat", "-l", "INFO",
            "--schedule", str(self.dir / "celerybeat-schedule"),
        ]  # fmt: skip
        commands["nginx"] = [
            self.config.nginx,
            "-p",
            str(self.dir),
            "-c",
            str(self.dir / "nginx.conf"),
            "-g",
            "daemon off;",
        ]
        return commands

    def nginx_conf(self) -> str:
        env = self.app_env()
        upstreams = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;" for port in self.config.app_ports
        )
        values = {
            "STACK_DIR": str(self.dir),
            "LISTEN": f"127.0.0.1:{self.config.port}",
            "UPSTREAM_SERVERS": upstreams,
            "STATIC_ROOT": env["STATIC_ROOT"].rstrip("/"),
            "MEDIA_ROOT": env["MEDIA_ROOT"].rstrip("/"),
            "CLIENT_MAX_BODY_SIZE": self.config.client_max_body_size,
        }
        text = (ROOT / "deploy" / "nginx.conf.template").read_text()
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        return text

    # --- processes ---------------------------------------------------------------------------------

    def _pid_file(self, name: str) -> Path:
        return self.dir / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        """The recorded pid, if that process is still the one we started (same start time)."""
        try:
            record = json.loads(self._pid_file(name).read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict):
            return None
        return record["pid"] if _start_time(record["pid"]) == record.get("start_time") else None

    def spawn(self, name: str) -> int:
        command = self.commands()[name]
        with open(self.dir / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.app_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop/kill reach its children too
            )
        record = {"pid": process.pid, "start_time": _start_time(process.pid), "cmd": command}
        self._pid_file(name).write_text(json.dumps(record))
        return process.pid

    def signal(self, name: str, sig: int) -> bool:
        pid = self.pid(name)
        if pid is None:
            return False
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return False
        return True

    def wait_gone(self, name: str, timeout: float) -> bool:
        pid = self.pid(name)
        deadline = time.monotonic() + timeout
        while pid is not None and time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)  # reaps it when this process started it
            except ChildProcessError:
                pass
            if not Path(f"/proc/{pid}").exists() or _is_zombie(pid):
                return True
            time.sleep(0.1)
        return pid is None

    def stop_one(self, name: str, timeout: float = 20) -> None:
        if self.signal(name, signal.SIGTERM) and not self.wait_gone(name, timeout):
            self.signal(name, signal.SIGKILL)
            self.wait_gone(name, 5)
        self._pid_file(name).unlink(missing_ok=True)

    def kill(self, name: str) -> None:
        """kill -9 the process and its children (a crash, not a shutdown)."""
        self.signal(name, signal.SIGKILL)
        self.wait_gone(name, 10)
        self._pid_file(name).unlink(missing_ok=True)

    def restart(self, name: str) -> None:
        self.stop_one(name)
        self.spawn(name)

    # --- the whole stack ----------------------------------------------------------------------------

    def manage(self, *args: str) -> None:
        subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.app_env(), check=True)

    def database_ensure(self) -> None:
        """CREATE DATABASE when the one named in DATABASE_URL does not exist yet (PostgreSQL only)."""
        parts = urlsplit(self.config.database_url)
        if not parts.scheme.startswith("postgres"):
            return
        import psycopg

        name = parts.path.lstrip("/")
        admin = parts._replace(path="/postgres").geturl().replace(parts.scheme + "://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
            with psycopg.connect(admin.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as db:
                db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")

    def prepare(self) -> None:
        self.database_ensure()
        self.manage("migrate", "--noinput", "-v", "0")
        if self.config.load_demo:
            self.manage("shell", "-c", DEMO_IF_EMPTY)
        self.manage("collectstatic", "--noinput", "-v", "0")

    def running(self) -> list[str]:
        return [name for name in self.commands() if self.pid(name) is not None]

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "nginx-tmp").mkdir(exist_ok=True)
        if self.running():
            raise SystemExit(f"Already running: {', '.join(self.running())} (make stack-stop first)")
        shutil.rmtree(self.dir / "metrics", ignore_errors=True)
        (self.dir / "metrics").mkdir()
        if self.config.own_redis_port:
            self.spawn("redis")
            wait_port(self.config.own_redis_port, timeout=15)
        self.prepare()
        (self.dir / "nginx.conf").write_text(self.nginx_conf())
        subprocess.run([*self.commands()["nginx"][:-2], "-t", "-q"], check=True)
        for name in [*self.config.web_names(), "worker", "beat", "nginx"]:
            self.spawn(name)
        wait_ready(f"{self.config.url}/health/ready", timeout=90)

    def stop(self) -> list[str]:
        stopped = []
        # Front to back: nothing new comes in while the rest finishes its work.
        for name in ["nginx", *self.config.web_names(), "beat", "worker", "redis"]:
            if self.pid(name) is not None:
                self.stop_one(name)
                stopped.append(name)
            self._pid_file(name).unlink(missing_ok=True)
        return stopped

    def status(self) -> dict[str, int | None]:
        return {name: self.pid(name) for name in self.commands()}


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat after the command name (which may hold spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _start_time(pid: int) -> str | None:
    try:
        return _stat(pid)[19]  # field 22: start time in clock ticks since boot
    except (OSError, IndexError):
        return None


def _is_zombie(pid: int) -> bool:
    try:
        return _stat(pid)[0] == "Z"
    except (OSError, IndexError):
        return True


def wait_port(port: int, timeout: float) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def wait_ready(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            last = f"{exc.code} {exc.read()[:200]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s: {last}")


def main(argv: list[str]) -> int:
    stack = Stack()
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        stack.start()
        print(f"Stack ready at {stack.config.url} (logs and pids in {stack.dir})")
        for name, pid in stack.status().items():
            print(f"  {name:8} pid {pid}")
    elif command == "stop":
        stopped = stack.stop()
        print("Stopped: " + (", ".join(stopped) or "nothing was running"))
    elif command == "status":
        for name, pid in stack.status().items():
            print(f"  {name:8} {'pid ' + str(pid) if pid else 'not running'}")
    elif command in ("restart", "kill") and len(argv) == 3:
        getattr(stack, command)(argv[2])
        if command == "kill":
            print(f"{argv[2]} killed")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
