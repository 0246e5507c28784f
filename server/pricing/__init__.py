"""Price lists with quantity tiers, and contract prices per account."""
