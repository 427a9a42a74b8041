"""Writes Zachary's karate club, as networkx ships it, to DIR/edges.csv (source,target: each
friendship once, members numbered 0-33) and DIR/clubs.csv (member,club: 0 for Mr. Hi's club, 1 for
the Officer's), atomically: the files appear complete or not at all."""
import os
import sys
import tempfile

import networkx as nx


def write(path, header, rows):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(str(v) for v in row) + "\n")
    os.replace(tmp, path)


def main(out):
    os.makedirs(out, exist_ok=True)
    g = nx.karate_club_graph()
    assert g.number_of_nodes() == 34 and g.number_of_edges() == 78, "unexpected karate club graph"
    clubs = {"Mr. Hi": 0, "Officer": 1}
    write(os.path.join(out, "edges.csv"), "source,target", sorted(tuple(sorted(e)) for e in g.edges()))
    # The labels last: set-up checks for this file to decide whether the export is done.
    write(os.path.join(out, "clubs.csv"), "member,club",
          ((n, clubs[g.nodes[n]["club"]]) for n in sorted(g.nodes())))


if __name__ == "__main__":
    main(sys.argv[1])
