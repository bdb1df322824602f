"""Product words that only say what other words already name: "圣诞相关商品", "retrospot and
polkadot items" — the product word names the kind of the filtered lines, not a breakdown by
product. Shared by the ordinary engine (nlq.offline) and set questions (nlq.people)."""

from __future__ import annotations

from typing import Any

from shopql.nlq.lexicon import HARMLESS_IF_TITLE
from shopql.nlq.reading import PRODUCT_DIMS, Parsed

# what may stand between product words and the product word naming their kind ("圣诞相关商品")
KIND_GAPS = {
    "",
    "的",
    "相关",
    "相关的",
    "类",
    "类的",
    "系列",
    "系列的",
    "related",
    "themed",  # "butterfly-themed items": the products with the word
    "-themed",
    "主题",  # "蝴蝶主题的商品"
    "主题的",
    "字样",
    "字样的",
    "图案",  # "小鸟图案的商品": the products with the pattern's word
    "图案的",
    "花纹",
    "花纹的",
}
PER_WORDS = ("各", "每个", "每款", "每一个", "分", "by", "per", "each", "every", "individual")


def names_kind_of_filtered_products(p: Parsed, filtered: set[str]) -> bool:
    """The product dimension word only says what the filtered products are: it follows a title
    keyword or seller code directly (or after 相关/的), or comes right before one ("商品22423"),
    and nothing asks to rank, split or list them ("top 5 christmas products", "各圣诞商品" keep
    the breakdown). A share asked of them is theirs of the whole ("CHRISTMAS 字样的商品占总销量
    几成"), not each product's among them."""
    if not filtered & {"product_title", "outer_code", "category"} or p.top_n:
        return False
    if p.modifiers.keys() & {"top", "bottom", "bestsellers", "distribution", "growth"}:
        return False
    text, mentions = p.links.text, p.links.mentions
    found = False
    for k, m in enumerate(mentions):
        if m.term.kind != "dimension" or m.term.target not in PRODUCT_DIMS:
            continue
        before = mentions[k - 1] if k > 0 else None
        after = mentions[k + 1] if k + 1 < len(mentions) else None
        if (
            before is not None
            and is_product(before)
            and "".join(text[before.end : m.start].split()) in KIND_GAPS  # "相关 的": spaced
        ):
            gap, head = text[before.end : m.start].strip(), text[: before.start].rstrip()
        elif (
            after is not None
            and is_product(after)
            and text[m.end : after.start].strip()
            in ("", *HARMLESS_IF_TITLE, *_OF_A_CATEGORY.get(after.term.target, ()))
        ):  # "products containing", "produtos de bebê" (read: products of bebê)
            gap, head = "", text[: m.start].rstrip()
        else:
            return False
        if head.endswith(PER_WORDS):
            return False
        p.links.leftover[:] = [w for w in p.links.leftover if w not in gap.split()]
        found = True
    return found


def is_product(m: Any) -> bool:
    """A title keyword or a value that picks products (title, seller code, category)."""
    return m.term.kind == "keyword" or (
        m.term.kind == "value" and m.term.target in ("product_title", "outer_code", "category")
    )


# the words that may join the product word to the category after it ("products of bebes")
_OF_A_CATEGORY = {"category": ("of", "in", "from")}
