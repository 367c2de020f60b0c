"""`audit verify` on PostgreSQL lets the database hash the records (issue 10, speed: 150k
records/s at national scale). The database must build exactly the payload Python hashes,
for every kind of value, or an intact log would be walked by the slow path (and a wrong
encoding would never pass a tampered record: any doubt falls back to the Python walk,
which names the problem; tests/access/test_tamper.py covers the breaks)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from jeugdketen.access import audit
from jeugdketen.access.audit import verification
from jeugdketen.access.models import AccessLogShard
from jeugdketen.access.policy import Action, Data, Decision, Ground, Target
from tests import factories as f

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")

ODD = ["", "plain", 'quote " and \\ backslash', "new\nline\ttab\rcr\bbs\ffeed",
       "\x01\x1f control", "é ü ß 中文 😀", "\u2028\u2029 separators", "\x7f del", "</script>"]


def test_the_database_hashes_as_python_does(db):
    prof = f.ProfessionalFactory()
    actor = f.professional_actor(prof, user_agent="agent é \"x\"\n")
    decision = Decision(True, Ground.REGISTRATION, "professional")
    with transaction.atomic():
        audit.append([audit.entry(actor, Action.READ, Target(
            Data.BASE_DATA, object_id=text[:64]), Decision(
                False, reason=text) if i % 2 else decision) for i, text in enumerate(ODD)])
    shards = {h.shard: (h.last_seq, h.last_hash) for h in AccessLogShard.objects.all()}
    used = [s for s, (seq, _h) in shards.items() if seq]
    assert used
    for shard in used:
        job = verification._ShardJob(shard, shards[shard], {}, 0)
        fast = verification._verify_shard_in_db(job)
        assert fast is not None, "the database's payload differs from Python's"
        assert fast.first_break is None and fast.checked == shards[shard][0]
    result = audit.verify()
    assert result.ok


def test_a_changed_record_falls_back_to_the_walk_that_names_it(db):
    prof = f.ProfessionalFactory()
    decision = Decision(True, Ground.REGISTRATION, "professional")
    with transaction.atomic():
        audit.append([audit.entry(f.professional_actor(prof), Action.READ,
                                  Target(Data.BASE_DATA, object_id="x"), decision)])
    shard, seq = (AccessLogShard.objects.filter(last_seq__gt=0)
                  .values_list("shard", "last_seq").first())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE access_accesslogrecord DISABLE TRIGGER ALL")
        cursor.execute("UPDATE access_accesslogrecord SET reason = 'changed' "
                       "WHERE shard = %s AND seq = %s", [shard, seq])
        head = AccessLogShard.objects.get(shard=shard)
        job = verification._ShardJob(shard, (head.last_seq, head.last_hash), {}, 0)
        assert verification._verify_shard_in_db(job) is None
        result = verification._verify_shard(job)
        assert result.first_break is not None and "changed" in result.first_break.problem
        transaction.set_rollback(True)
