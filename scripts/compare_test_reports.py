"""Compare two JUnit reports of the same tests: without and with the addon.

Prints the totals of each, then every test whose outcome differs.  Exits 1
when a test that passes without the addon does not pass with it.
"""

import sys
import xml.etree.ElementTree as ET


def outcomes(path):
    result = {}
    for case in ET.parse(path).iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            result[name] = "failed"
        elif case.find("skipped") is not None:
            result[name] = "skipped"
        else:
            result[name] = "passed"
    return result


def totals(results):
    counts = {}
    for outcome in results.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))


def main(without_path, with_path):
    without, with_addon = outcomes(without_path), outcomes(with_path)
    print(f"without website_wallet: {totals(without)}")
    print(f"with website_wallet:    {totals(with_addon)}")
    differences = sorted(
        (name, without.get(name, "missing"), with_addon.get(name, "missing"))
        for name in without.keys() | with_addon.keys()
        if without.get(name) != with_addon.get(name)
    )
    for name, before, after in differences:
        print(f"  {name}: {before} without, {after} with")
    regressions = [d for d in differences if d[1] == "passed" and d[2] != "passed"]
    if regressions:
        print(f"{len(regressions)} test(s) pass without website_wallet and not with it")
        return 1
    print("every test behaves the same with website_wallet as without it")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
