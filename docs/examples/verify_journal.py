#!/usr/bin/env python3
"""An independent verifier of causette journal exports, written from docs/log-format.md alone.

Only the Python standard library (hashlib, base64, json) and OpenSSL for Ed25519, which Python's
standard library lacks. Usage: verify_journal.py FILE [--key VKEY]. Exits 0 when the file verifies,
1 with "FAILED entry N (line L): reason" otherwise. One openssl process per signature: fine for the
small exports an auditor reads by hand, slow for a million entries.
"""
import base64, binascii, hashlib, json, os, re, subprocess, sys, tempfile

SPKI_ED25519 = bytes.fromhex("302a300506032b6570032100")


class Failed(Exception):
    pass


def b64(text, length=None):
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Failed("not base64")
    if base64.b64encode(raw).decode() != text or (length is not None and len(raw) != length):
        raise Failed("not canonical base64 of the right length")
    return raw


def peer_id(public_key):
    """libp2p PeerId of an Ed25519 key: base58btc of 00 24 08 01 12 20 || key."""
    n = int.from_bytes(bytes.fromhex("002408011220") + public_key, "big")
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" + out  # the leading 0x00 byte


def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def ed25519_verify(public_key, message, signature):
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("key.pem", "msg", "sig")}
        pem = base64.encodebytes(SPKI_ED25519 + public_key).decode()
        open(paths["key.pem"], "w").write(f"-----BEGIN PUBLIC KEY-----\n{pem}-----END PUBLIC KEY-----\n")
        open(paths["msg"], "wb").write(message)
        open(paths["sig"], "wb").write(signature)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                            "-in", paths["msg"], "-sigfile", paths["sig"]], capture_output=True)
        return r.returncode == 0


def mth(hashes):
    """Root of a list of leaf hashes (RFC 9162 2.1.1), folding perfect subtrees right to left."""
    stack = []  # (size, hash) of perfect subtrees, as in docs/log-format.md step 5
    for h in hashes:
        size = 1
        while stack and stack[-1][0] == size:
            left = stack.pop()[1]
            h, size = sha256(b"\x01", left, h), size * 2
        stack.append((size, h))
    if not stack:
        return sha256()
    root = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        root = sha256(b"\x01", left, root)
    return root


def inclusion_ok(index, size, leaf_hash, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = sha256(b"\x01", p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha256(b"\x01", r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistency_ok(m, n, proof, old_root, new_root):
    """RFC 9162 2.1.4.2, for 0 < m < n."""
    if not 0 < m < n or not proof:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + proof
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = sha256(b"\x01", c, fr), sha256(b"\x01", c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = sha256(b"\x01", sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


def parse_vkey(vkey):
    name, key_id, material = vkey.split("+", 2)
    raw = b64(material, 33)
    if raw[0] != 1 or sha256(name.encode() + b"\n\x01" + raw[1:])[:4].hex() != key_id:
        raise Failed("the key ID does not match the key")
    return name, bytes.fromhex(key_id), raw[1:]


def check_message(fields, log_key):
    statement, signature = b64(fields["statement"]), b64(fields["signature"], 64)
    lines = statement.decode().split("\n")
    values = dict(line.split(": ", 1) for line in lines[1:-1])
    if lines[0] != "causette/statement/v1" or lines[-1] != "":
        raise Failed("not a statement")
    author = b64(values["author"], 32)
    if not ed25519_verify(author, statement, signature):
        raise Failed("the author signature does not verify")
    if values["id"] != fields["id"] or values["conversation"] != fields["conversation"]:
        raise Failed("the entry differs from its statement")
    recipients = [peer_id(b64(r, 32)) for r in values["recipients"].split(",")]
    if fields["kind"] == "message-sent" and (author != log_key or fields["peer"] not in recipients):
        raise Failed("a sent message is not by the journal's key, or not to the entry's peer")
    if fields["kind"] == "message-received" and fields["peer"] != peer_id(author):
        raise Failed("the entry's peer is not the statement's author")
    return b64(values["body-sha256"], 32)


def check_receipt(fields, log_key):
    receipt, signature = b64(fields["signed"]), b64(fields["signature"], 64)
    lines = receipt.decode().split("\n")
    values = dict(line.split(": ", 1) for line in lines[1:-1])
    if lines[0] != "causette/receipt/v1" or lines[-1] != "":
        raise Failed("not a receipt")
    author = b64(values["author"], 32)
    if not ed25519_verify(author, receipt, signature):
        raise Failed("the receipt signature does not verify")
    if b64(values["to"], 32) != log_key or peer_id(author) != fields["peer"]:
        raise Failed("the receipt is not from the entry's peer to the journal's key")
    if (values["conversation"], values["state"], values["ids"].split(",")) != (fields["conversation"], fields["receipt"], fields["messages"]):
        raise Failed("the entry differs from its signed receipt")


def verify(path, trusted_key=None):
    lines = open(path, encoding="utf-8", newline="\n").read().split("\n")
    if lines[-1] != "":
        raise Failed("the file does not end with a newline")
    lines = lines[:-1]
    if lines[:1] != ["causette-journal-export 1"] or len(lines) < 5:
        raise Failed("not a causette journal export, version 1")
    vkey = lines[1].removeprefix("key ")
    if trusted_key is not None and vkey != trusted_key:
        raise Failed("signed by another key than the one given")
    name, key_id, public_key = parse_vkey(vkey)
    scope = lines[2].removeprefix("scope ")
    note = b64(lines[3].removeprefix("checkpoint ")).decode()
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    ours = [b64(s.split(" ")[2]) for s in signatures.splitlines() if s.startswith(f"\u2014 {name} ")]
    if not ours or any(s[:4] != key_id or not ed25519_verify(public_key, text.encode(), s[4:]) for s in ours):
        raise Failed("the checkpoint is not signed by the key")
    origin, size, root = text.split("\n")[:3]
    size, root = int(size), b64(root, 32)
    if origin != name or origin != "causette/journal/v1/" + peer_id(public_key):
        raise Failed("the checkpoint origin is not the key name, or not the journal of the key's PeerId")
    tree, selection, last, count, previous_size = [], [], -1, 0, 0
    current = None  # [index, leaf_hash, body_hash, has_proof]
    for number, line in enumerate(lines[4:], start=5):
        tag, *fields = line.split(" ")
        where = f"entry {current[0]} (line {number})" if current else f"line {number}"
        try:
            if tag == "consistency" and last < 0:
                old_size, old_root, *proof = int(fields[0]), b64(fields[1], 32), *[b64(f, 32) for f in fields[2:]]
                if old_size <= previous_size:
                    raise Failed("consistency lines come by increasing size")
                previous_size = old_size
                if not consistency_ok(old_size, size, proof, old_root, root):
                    raise Failed(f"the consistency proof from size {old_size} fails")
            elif tag == "entry":
                if current and scope == "subset" and not current[3]:
                    raise Failed("the entry has no inclusion proof")
                index, leaf = int(fields[0]), b64(fields[2])
                current = [index, sha256(b"\x00", leaf), None, False]
                where = f"entry {index} (line {number})"
                if b64(fields[1], 32) != current[1]:
                    raise Failed("the leaf does not match its hash")
                if index <= last or index >= size or (scope == "full" and index != last + 1):
                    raise Failed("missing, duplicated, out of order or beyond the checkpoint")
                entry = json.loads(leaf)
                if json.dumps(entry, sort_keys=True, separators=(",", ":")).encode() != leaf:
                    raise Failed("not canonical JSON")
                if entry["kind"] in ("message-sent", "message-received"):
                    current[2] = check_message(entry, public_key)
                if entry["kind"] == "receipt" and "signed" in entry:
                    check_receipt(entry, public_key)
                last = index
                tree.append(current[1])
                if index == size - 1:
                    export = entry
                else:
                    selection.append(current[1])
                    count += 1
            elif tag == "body" and current and current[2] and not current[3]:
                if sha256(b64(fields[0]), b64(fields[1])) != current[2]:
                    raise Failed("the disclosed body does not match its commitment")
            elif tag == "proof" and scope == "subset" and current and not current[3]:
                if not inclusion_ok(current[0], size, current[1], [b64(f, 32) for f in fields], root):
                    raise Failed("the inclusion proof does not lead to the checkpoint root")
                current[3] = True
            elif line == "end" and number == len(lines):
                if scope == "subset" and current and not current[3]:
                    raise Failed("the entry has no inclusion proof")
                if last != size - 1 or export["kind"] != "export":
                    raise Failed("the export's own entry is missing")
                if scope == "full" and (mth(tree) != root or export["size"] != size - 1):
                    raise Failed("the entries do not rebuild the checkpoint root")
                if export["count"] != count or b64(export["selection"], 32) != mth(selection):
                    raise Failed("the entries are not the ones the export selected")
                return f"OK: {count} entries and the export's own, checkpoint of {size} signed by {vkey}"
            else:
                raise Failed("line out of place")
        except (ValueError, KeyError, IndexError, UnicodeDecodeError) as error:
            raise Failed(f"{where}: malformed ({error.__class__.__name__})")
        except Failed as error:
            raise Failed(f"{where}: {error}") from None
    raise Failed("the file ends before its end line")


if __name__ == "__main__":
    args = sys.argv[1:]
    key = args[args.index("--key") + 1] if "--key" in args else None
    try:
        print(verify(args[0], key))
    except Failed as error:
        print(f"FAILED {error}")
        sys.exit(1)
