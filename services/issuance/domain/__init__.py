"""Pure rules of issuance: numbers, keys, acceptance by orderer, certificate content. No I/O."""
