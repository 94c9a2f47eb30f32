package main

import cmtjsonlib "github.com/cometbft/cometbft/libs/json"

// cmtjson encodes a CometBFT type with CometBFT's JSON conventions (as genesis.json uses).
func cmtjson(v any) ([]byte, error) { return cmtjsonlib.MarshalIndent(v, "", "  ") }
