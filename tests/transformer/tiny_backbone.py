"""A tiny randomly initialised BERT and a WordPiece tokenizer trained on given texts: a backbone in seconds."""

from pathlib import Path

import pandas as pd
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

from devkit.project import REPO

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK]


# A backbone id that no machine has: training must fall back to `fallback_backbone` (the tiny model).
MISSING_BACKBONE = "callcenterai-tests/backbone-that-does-not-exist"
TINY_TRAINING = {
    "transformer.backbone": MISSING_BACKBONE,
    "transformer.max_length": 32,
    "transformer.batch_size": 16,
    "transformer.epochs": 2,
    "transformer.learning_rate": 1.0e-3,
    "transformer.max_train_samples": 160,
    "transformer.export_latency_samples": 4,
    "transformer.torch_threads": 1,
}


def starter_texts() -> list[str]:
    return pd.read_csv(REPO / "data" / "starter" / "tickets.csv")["text"].astype(str).tolist()


def build_tiny_backbone(texts: list[str], out_dir: Path) -> Path:
    """WordPiece tokenizer trained on `texts` + a 2-layer, 32-wide random BERT, saved like a hub checkpoint."""
    tokenizer = Tokenizer(models.WordPiece(unk_token=UNK))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=1500, special_tokens=SPECIAL_TOKENS))
    cls_id, sep_id = tokenizer.token_to_id(CLS), tokenizer.token_to_id(SEP)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{CLS} $A {SEP}", special_tokens=[(CLS, cls_id), (SEP, sep_id)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token=UNK, pad_token=PAD, cls_token=CLS, sep_token=SEP
    )
    fast.save_pretrained(out_dir)
    config = BertConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        pad_token_id=tokenizer.token_to_id(PAD),
    )
    BertModel(config).save_pretrained(out_dir)
    return out_dir
