#!/usr/bin/env python3
"""Writes references.json and the hf-*.json tokenizers that Cuaderno's BPE is tested against.

    python3 Tests/NNTests/Fixtures/bpe/make_references.py
    python3 Tests/NNTests/Fixtures/bpe/make_references.py --check-saved saved.json CONFIG

Hugging Face's `tokenizers` is the reference implementation of byte-level BPE training
(BpeTrainer) and encoding (models.BPE with pre_tokenizers.ByteLevel), so it is used as is: for
each configuration below it trains on corpus.txt (one text per line) and records the merges, the
vocabulary and the encodings of TEXTS. Two of the trained tokenizers are saved as HF writes them
(hf-tokenizer.json, hf-tokenizer-lowercase.json) for the loading tests.

With --check-saved, it loads a tokenizer.json written by Cuaderno's BPETokenizer.save(to:) and
checks that HF encodes and decodes TEXTS exactly as references.json says for CONFIG.

When `tokenizers` cannot be imported, the script makes a throwaway virtual environment in
/tmp/bpe-venv, installs the pinned version there and runs itself again with it. The tests never
need Python: they read the files this writes.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENT = "tokenizers==0.23.3"
VENV = Path("/tmp/bpe-venv")

try:
    import tokenizers
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
except ImportError:
    if os.environ.get("BPE_REFERENCES_IN_VENV"):
        raise
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", REQUIREMENT], check=True)
    environment = dict(os.environ, BPE_REFERENCES_IN_VENV="1")
    sys.exit(subprocess.run([str(python), __file__, *sys.argv[1:]], env=environment).returncode)

# (name, vocab_size, min_frequency, special tokens, lowercase). Vocabulary sizes count the special
# tokens and the 256 byte characters; "large" asks for more merges than the corpus has pairs seen
# twice, so training stops early at min_frequency.
CONFIGS = [
    ("small", 300, 0, ["<pad>", "<unk>"], False),
    ("medium", 600, 2, ["<pad>", "<unk>"], False),
    ("lowercase", 500, 2, ["<pad>", "<unk>"], True),
    ("large", 5000, 2, ["<pad>", "<unk>", "<s>", "</s>"], False),
]
SAVED = {"medium": "hf-tokenizer.json", "lowercase": "hf-tokenizer-lowercase.json"}

# (name, text): each exercises one rule of the GPT-2 pattern, the byte-level alphabet or the merges.
TEXTS = [
    ("plain sentence", "The film was wonderful!"),
    ("contractions", "I didn't like it, but they'll love it and we've seen it."),
    ("contractions in capitals are not split off", "DON'T YOU DARE, HE'LL BE BACK"),
    ("apostrophes alone and doubled", "'s 're 've 'm 'll 'd 't ''quoted'' rock'n'roll"),
    ("accents, composed", "Café crème, naïve Zoë, Ñandú, Über"),
    ("accent as a combining mark", "Cafe\u0301 cre\u0300me"),
    ("emoji", "I loved it 😍🍿 so much 👍🏽"),
    ("CJK, kana and Hangul", "映画はとても面白かった 这部电影 영화"),
    ("runs of spaces", "There   are  spaces    here"),
    ("newlines and indentation", "Line one\nLine two\n\n  indented\n"),
    ("trailing spaces", "trailing spaces   "),
    ("tabs and CRLF", "\tTabbed\tand\r\nwindows line"),
    ("digits and prices", "Released in 1987, restored in 2019: 4.5/5 stars, $12.50 or 1,000,000"),
    ("other numbers", "x² + y² = z² and ½ ⅓ Ⅻ"),
    ("punctuation runs", "Wow!!! Really?! ...and (so) [on] {etc} --- ok"),
    ("email and address", "critic@example.com or https://example.com/a?b=c&d=e#top"),
    ("special tokens written in the text", "<pad> and <unk> inside<pad>text <PAD>"),
    ("empty string", ""),
    ("only spaces", "   "),
    ("unseen long words", "supercalifragilisticexpialidocious antidisestablishmentarianism"),
    ("Greek, dotted I, titlecase", "Η ταινία ΟΔΟΣ İstanbul ǅungla"),
    ("controls and invisible characters", "a\u0000b\u0007c d\u200be\ufeff f\u00adg\u001ch\u0085i"),
    ("unusual spaces", "no\u00a0break, ideographic\u3000space, thin\u2009space"),
    ("upper and lower case", "THE FILM WAS GREAT. the film was great. The Film Was Great."),
]


def trained(vocab_size, min_frequency, special_tokens, lowercase):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = normalizers.Lowercase() if lowercase else None
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=special_tokens,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(corpus_lines(), trainer=trainer)
    return tokenizer


def corpus_lines():
    # One text per line; the final line break ends the last line.
    return (HERE / "corpus.txt").read_text(encoding="utf-8").split("\n")[:-1]


def encodings(tokenizer):
    result = []
    for name, text in TEXTS:
        encoding = tokenizer.encode(text)
        decoded = tokenizer.decode(encoding.ids, skip_special_tokens=False)
        result.append({"name": name, "text": text, "ids": encoding.ids, "tokens": encoding.tokens,
                       "decoded": decoded})
    return result


def model_of(tokenizer):
    spec = json.loads(tokenizer.to_str())
    vocab = spec["model"]["vocab"]
    by_id = sorted(vocab.items(), key=lambda item: item[1])
    assert [token_id for _, token_id in by_id] == list(range(len(by_id))), "ids are not 0..<n"
    return [token for token, _ in by_id], spec["model"]["merges"]


def write_references():
    configurations = []
    for name, vocab_size, min_frequency, special_tokens, lowercase in CONFIGS:
        tokenizer = trained(vocab_size, min_frequency, special_tokens, lowercase)
        vocabulary, merges = model_of(tokenizer)
        # HF's trainer keeps pairs in hash maps seeded at random: train again and compare, so a
        # reference that depends on the seed is noticed here rather than in the Swift tests.
        again = model_of(trained(vocab_size, min_frequency, special_tokens, lowercase))
        assert again == (vocabulary, merges), f"{name}: two trainings disagree"
        configurations.append({
            "name": name, "vocab_size": vocab_size, "min_frequency": min_frequency,
            "special_tokens": special_tokens, "lowercase": lowercase,
            "vocabulary": vocabulary, "merges": merges, "encodings": encodings(tokenizer)})
        if name in SAVED:
            tokenizer.save(str(HERE / SAVED[name]))
        print(f"{name}: {len(vocabulary)} tokens, {len(merges)} merges")
    references = {
        "generator": "make_references.py",
        "tokenizers_version": tokenizers.__version__,
        "corpus": "corpus.txt, one text per line",
        "trainer": "BpeTrainer(vocab_size, min_frequency, special_tokens, "
                   "initial_alphabet=ByteLevel.alphabet()); pre_tokenizer ByteLevel("
                   "add_prefix_space=False, use_regex=True); normalizer Lowercase or none; "
                   "decoder ByteLevel; decoded with skip_special_tokens=False",
        "configurations": configurations,
    }
    text = json.dumps(references, ensure_ascii=False, indent=1) + "\n"
    (HERE / "references.json").write_text(text, encoding="utf-8")


def check_saved(path, config_name):
    references = json.loads((HERE / "references.json").read_text(encoding="utf-8"))
    config = next(c for c in references["configurations"] if c["name"] == config_name)
    tokenizer = Tokenizer.from_file(path)
    failures = 0
    for case in config["encodings"]:
        encoding = tokenizer.encode(case["text"])
        decoded = tokenizer.decode(encoding.ids, skip_special_tokens=False)
        if encoding.ids != case["ids"] or decoded != case["decoded"]:
            failures += 1
            print(f"differs: {case['name']}: {encoding.tokens} vs {case['tokens']}")
    print(f"{path}: {len(config['encodings']) - failures} of {len(config['encodings'])} texts "
          f"encode and decode as the {config_name} references say")
    return failures


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check-saved":
        sys.exit(1 if check_saved(sys.argv[2], sys.argv[3]) else 0)
    write_references()
