"""orderdesk shop rates show/set: the shop's exchange rates from the command line."""

from orderdesk.cli.main import main


def test_rates_are_shown_and_replaced_and_bad_ones_exit_2(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/cli.db"
    assert (
        main(["shop", "init", "--database-url", url, "--name", "Shop", "--email", "a@b.c", "--currency", "EUR", "--rate", "USD=0.9"]) == 0
    )
    capsys.readouterr()
    assert main(["shop", "rates", "show", "--database-url", url]) == 0
    assert capsys.readouterr().out.splitlines() == ["USD=0.9"]
    assert main(["shop", "rates", "set", "--database-url", url, "USD=0.92", "gbp=1.17"]) == 0
    assert capsys.readouterr().out.splitlines() == ["GBP=1.17", "USD=0.92"]

    for bad in ("USD=-1", "USD", "XYZ=1.0", "EUR=1.0", "USD=0,92"):
        assert main(["shop", "rates", "set", "--database-url", url, bad]) == 2, bad
        err = capsys.readouterr().err
        assert err.startswith("orderdesk: error: ") and len(err.strip().splitlines()) == 1, err
    assert main(["shop", "rates", "show", "--database-url", url]) == 0
    assert capsys.readouterr().out.splitlines() == ["GBP=1.17", "USD=0.92"]
