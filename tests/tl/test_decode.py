"""Decodes of every stored vector, kept beside the store's vectors under their settings."""
import numpy as np
import pytest

from latentlab import tl


def test_decoded_cache(mini_store, mini_model):
    key = tl.decode(mini_store, mini_model, temperature=0.1, random_state=0)
    decoded = mini_store.sketches(key=key)
    assert key == "decoded/tau0.1" and len(decoded) == len(mini_store)
    assert mini_store.params(key)["temperature"] == pytest.approx(0.1)
    js = tl.decode(mini_store, mini_model, temperature=0.1, random_state=0, softmax_temperature="js")
    assert js == "decoded/tau0.1_js" and mini_store.params(js)["softmax_temperature"] == pytest.approx(0.55)
    assert len(mini_store.sketches(key=js)) == len(mini_store) and mini_store.keys("decoded") == ["tau0.1", "tau0.1_js"]
    z = tl.decode(mini_store, mini_model, temperature=0.1, random_state=3, use_rep="z")  # beside the mu decode
    assert z == "decoded/tau0.1_z_seed3" and mini_store.params(z)["use_rep"] == "z"
    assert mini_store.keys("decoded") == ["tau0.1", "tau0.1_js", "tau0.1_z_seed3"]
    np.testing.assert_array_equal(np.concatenate(mini_store.sketches(key=key)), np.concatenate(decoded))
