from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.training_data import TrainingDataError, fold_example, prepare_training_data


def test_plain_example_is_folded_like_a_message() -> None:
    assert fold_example("Mình muốn   dùng thử  ĐƯỢC ko") == "minh muon dung thu duoc khong"


def test_paren_markup_keeps_entity_and_folds_text() -> None:
    assert fold_example("Giá gói [Chuyên Nghiệp](plan) bn?") == (
        "gia goi [chuyen nghiep](plan) bao nhieu?"
    )


def test_paren_markup_with_value_folds_the_value() -> None:
    assert fold_example("gói [Cơ bản](plan:Cơ Bản)") == "goi [co ban](plan:co ban)"


def test_json_markup_folds_text_and_value_and_keeps_keys() -> None:
    folded = fold_example('Mua gói [Doanh Nghiệp]{"entity": "plan", "value": "Enterprise"} nhé')
    assert folded == 'mua goi [doanh nghiep]{"entity": "plan", "value": "enterprise"} nhe'


def test_json_markup_keeps_role_and_group() -> None:
    folded = fold_example('[Pro]{"entity": "plan", "role": "from", "value": "pro"} ad')
    assert folded == '[pro]{"entity": "plan", "role": "from", "value": "pro"} admin'


def test_spaces_around_markup_survive() -> None:
    assert fold_example("[pro](plan) vs [basic](plan)") == "[pro](plan) vs [basic](plan)"
    assert fold_example("gói[pro](plan)") == "goi[pro](plan)"


def test_bad_json_annotation_is_a_clear_error() -> None:
    with pytest.raises(TrainingDataError, match="bad entity annotation"):
        fold_example('[pro]{"entity": plan}')


SOURCE = """\
version: "3.1"
nlu:
- intent: ask_price
  examples: |
    - Giá gói [Chuyên nghiệp]{"entity": "plan", "value": "pro"} bao nhiêu?
    - gia goi [chuyen nghiep]{"entity": "plan", "value": "pro"} bao nhieu?
    - Bao nhiêu tiền?
- intent: greet
  metadata:
    lang: vi
  examples:
  - text: |
      Chào Shop
    metadata:
      sentiment: neutral
- synonym: Doanh Nghiệp
  examples: |
    - Công Ty Lớn
- lookup: plan
  examples: |
    - Cơ Bản
- regex: order_id
  examples: |
    - \\bDH\\d{6}\\b
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    nlu_dir = tmp_path / "nlu"
    (nlu_dir / "data" / "more").mkdir(parents=True)
    (nlu_dir / "data" / "nlu.yml").write_text(SOURCE, encoding="utf-8")
    (nlu_dir / "data" / "more" / "rules.yml").write_text(
        'version: "3.1"\nrules:\n- rule: r\n  steps:\n  - intent: greet\n', encoding="utf-8"
    )
    return nlu_dir


def test_prepare_folds_every_section(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = prepare_training_data(project, out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == ["more/rules.yml", "nlu.yml"]
    document = yaml.safe_load((out / "nlu.yml").read_text(encoding="utf-8"))
    price, greet, synonym, lookup, regex = document["nlu"]
    # The variants with and without diacritics fold to one example, kept once.
    assert price["examples"] == (
        '- gia goi [chuyen nghiep]{"entity": "plan", "value": "pro"} bao nhieu?\n'
        "- bao nhieu tien?\n"
    )
    assert greet["metadata"] == {"lang": "vi"}
    assert greet["examples"] == [{"text": "chao shop", "metadata": {"sentiment": "neutral"}}]
    assert synonym == {"synonym": "doanh nghiep", "examples": "- cong ty lon\n"}
    assert lookup == {"lookup": "plan", "examples": "- co ban\n"}
    assert regex["examples"] == "- \\bDH\\d{6}\\b\n"  # regexes are left alone
    assert document["version"] == "3.1"
    rules = yaml.safe_load((out / "more" / "rules.yml").read_text(encoding="utf-8"))
    assert rules["rules"][0]["rule"] == "r"


def test_prepare_empties_the_output_first(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.yml").write_text("nlu: []\n")
    prepare_training_data(project, out)
    assert not (out / "stale.yml").exists()


def test_prepare_rejects_invalid_yaml(project: Path, tmp_path: Path) -> None:
    (project / "data" / "broken.yml").write_text("nlu: [unclosed\n")
    with pytest.raises(TrainingDataError, match=r"broken\.yml: not valid YAML"):
        prepare_training_data(project, tmp_path / "out")


def test_prepare_needs_data(tmp_path: Path) -> None:
    (tmp_path / "nlu" / "data").mkdir(parents=True)
    with pytest.raises(TrainingDataError, match="no training data"):
        prepare_training_data(tmp_path / "nlu", tmp_path / "out")


def test_real_project_folds_cleanly(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2] / "nlu"
    if not any((root / "data").glob("*.yml")):
        pytest.skip("nlu/data has no training data yet")
    for path in prepare_training_data(root, tmp_path / "out"):
        text = path.read_text(encoding="utf-8")
        yaml.safe_load(text)
        assert "đ" not in text
        assert "ệ" not in text
