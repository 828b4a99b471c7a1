"""Models by name: the bundled ones load by name and ``models show`` lists their classes."""
from helpers import MODELS


def test_a_model_loads_by_name_and_models_show_lists_its_classes(capsys):
    from latentlab.cli.main import main
    from latentlab.model.layout import read_info
    from latentlab.model.runtime import SketchRNN

    model = SketchRNN.load("latentlab/quickdraw28")
    assert model.model_dir == str(MODELS / "quickdraw28") and model.step == 44000
    assert main(["models", "show", "latentlab/quickdraw28"]) == 0
    out = capsys.readouterr().out
    classes = read_info(MODELS / "quickdraw28")["classes"]
    assert "28 classes:" in out and all(f"  {i:3d}  {c}\n" in out for i, c in enumerate(classes))
    assert "its 10 nearest mu name the class 61.0%" in out
    assert main(["models", "show", "latentlab/nothing"]) == 2
