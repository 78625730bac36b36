import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_ENV": "production",
            "SECRET_KEY": "k8#2vS!q9zP@wL4m^Rt7&Yx1Nc0Bj6Hd5Ge3Fa-terroir-souk-production",
            "ALLOWED_HOSTS": "terroir-souk.ma",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_extra={"DJANGO_ENV": "production", "ALLOWED_HOSTS": "terroir-souk.ma"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_environment_chooses_the_database_and_the_task_mode():
    script = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'])"
    )
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        env_extra={
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "core.cache.FallbackRedisCache",  # Redis down degrades to no cache
    ], result.stderr


def test_every_beat_job_names_a_task_the_worker_knows():
    from django.conf import settings

    from shop.celery import app

    app.loader.import_default_modules()  # what a worker imports at start

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
    assert len(scheduled) == 6
