"""The rating store's two statements, written once in SQL.

A rating is the hot path of a reading session, and building the ORM's query for it cost several
times what the database takes to answer (profiled: about 4 ms of query compilation per rating on
SQLite against 0.1 ms of database work; benchmarks/reading.py). So the usual path is one SELECT
that brings the trial, the membership, the study's rules, any rating already stored and the
previous rating's time, and one INSERT … RETURNING. The rows become ordinary model instances
(`Model.from_db`; fields not read are deferred, so touching one costs a query, never a wrong
value), so studies.rating keeps its rules in Python. Plain SQL that SQLite (≥ 3.35) and
PostgreSQL both run; names come from the models' metadata.
"""
from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.dateparse import parse_datetime

from studies.models import Rating, Study, StudyReader, Trial

# The membership and study fields the store reads; the rest stay deferred.
READER_FIELDS = ("id", "user", "study", "consented_at", "simulated")
STUDY_FIELDS = ("id", "status", "design", "confidence_levels", "ask_realism", "ask_tells", "time_limit_seconds",
                "washout_days", "frozen_at")


def _fields(model, names):
    """The named fields in the model's own order, which `Model.from_db` expects for a partial row."""
    return [field for field in model._meta.concrete_fields if field.name in names]


def _column(field) -> str:
    return connection.ops.quote_name(field.column)


@cache
def _select_sql() -> tuple[str, list, list, list]:
    q = connection.ops.quote_name
    trial_fields = list(Trial._meta.concrete_fields)
    reader_fields, study_fields = _fields(StudyReader, READER_FIELDS), _fields(Study, STUDY_FIELDS)
    trial_t, reader_t, study_t, rating_t = (q(m._meta.db_table) for m in (Trial, StudyReader, Study, Rating))
    user_t = q(get_user_model()._meta.db_table)
    columns = ([f"t.{_column(f)}" for f in trial_fields] + [f"rd.{_column(f)}" for f in reader_fields]
               + [f"s.{_column(f)}" for f in study_fields])
    sql = (
        f"SELECT {', '.join(columns)}, r.{q('id')}, "
        f"(SELECT pr.{q('rated_at')} FROM {rating_t} pr JOIN {trial_t} pt ON pr.{q('trial_id')} = pt.{q('id')} "
        f" WHERE pt.{q('reader_id')} = t.{q('reader_id')} AND pt.{q('position')} < t.{q('position')} "
        f" ORDER BY pt.{q('position')} DESC LIMIT 1) "
        f"FROM {trial_t} t JOIN {reader_t} rd ON rd.{q('id')} = t.{q('reader_id')} "
        f"JOIN {study_t} s ON s.{q('id')} = rd.{q('study_id')} "
        f"JOIN {user_t} u ON u.{q('id')} = rd.{q('user_id')} "
        f"LEFT JOIN {rating_t} r ON r.{q('trial_id')} = t.{q('id')} "
        f"WHERE t.{q('reader_id')} = %s AND rd.{q('user_id')} = %s AND t.{q('position')} = %s "
        f"AND (u.{q('is_active')} = %s OR rd.{q('simulated')} = %s)"  # demo readers never sign in
    )
    return sql, trial_fields, reader_fields, study_fields


def _moment(value):
    """A datetime as the ORM would give it: SQLite hands back text, and USE_TZ wants it aware (UTC)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = parse_datetime(value)
    if settings.USE_TZ and value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


def _python(field, value):
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _moment(value)
    if kind == "BooleanField":
        return bool(value)  # SQLite: 0 / 1
    return value


def _instance(model, fields, values):
    return model.from_db(DEFAULT_DB_ALIAS, [f.attname for f in fields],
                         [_python(f, v) for f, v in zip(fields, values)])


def trial_for_rating(reader_pk: int, user_pk: int, position: int) -> tuple[Trial, bool] | None:
    """(trial, rated already) with trial.reader and trial.reader.study loaded (their needed fields)
    and trial.previous_rated_at set; None when this membership has no such trial (or its account
    is inactive)."""
    sql, trial_fields, reader_fields, study_fields = _select_sql()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [reader_pk, user_pk, position, True, True])
        row = cursor.fetchone()
    if row is None:
        return None
    n_trial, n_reader = len(trial_fields), len(reader_fields)
    trial = _instance(Trial, trial_fields, row[:n_trial])
    reader = _instance(StudyReader, reader_fields, row[n_trial:n_trial + n_reader])
    reader.study = _instance(Study, study_fields, row[n_trial + n_reader:-2])
    trial.reader = reader
    trial.previous_rated_at = _moment(row[-1])
    return trial, row[-2] is not None


@cache
def _insert_sql() -> tuple[str, list]:
    q = connection.ops.quote_name
    fields = [f for f in Rating._meta.concrete_fields if not f.primary_key]
    sql = (f"INSERT INTO {q(Rating._meta.db_table)} ({', '.join(_column(f) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {q(Rating._meta.pk.column)}")
    return sql, fields


def insert_rating(rating: Rating) -> Rating:
    """Insert `rating` (unsaved) and return it saved. Values are prepared by each field, as save()
    would (rated_at stamped now); an IntegrityError (a raced duplicate) propagates."""
    sql, fields = _insert_sql()
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy's per-attribute lookups add up here
    values = [field.get_db_prep_save(field.pre_save(rating, True), db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        rating.pk = cursor.fetchone()[0]
    rating._state.adding, rating._state.db = False, DEFAULT_DB_ALIAS
    return rating


