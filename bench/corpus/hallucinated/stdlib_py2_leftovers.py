"""Utility script for a legacy log-processing job, 'ported' to Python 3 by an LLM.

Py2 idioms that no longer exist in Python 3 (removed in 3.0 ... 3.10, so they are
missing on every supported interpreter).
"""

import base64
import collections
import itertools
import os
import platform
import string
import sys
import time
import urllib

import ConfigParser  # expect: HAL001[ConfigParser]
import urllib2  # expect: HAL001[urllib2]
import cPickle as pickle  # expect: HAL001[cPickle]
from StringIO import StringIO  # expect: HAL001[StringIO]
from urlparse import urljoin  # expect: HAL001[urlparse]
from collections import Mapping, OrderedDict  # expect: HAL002[Mapping]
from itertools import izip  # expect: HAL002[izip]

ALPHABET = string.letters + string.digits  # expect: HAL101[letters]
BIG = sys.maxint  # expect: HAL101[maxint]


def load_config(path):
    parser = ConfigParser.SafeConfigParser()
    parser.read(path)
    return dict(parser.items("main"))


def fetch(url):
    response = urllib2.urlopen(url, timeout=10)
    return response.read()


def fetch_plain(url):
    return urllib.urlopen(url).read()  # expect: HAL101[urlopen]


def encode_token(raw):
    return base64.encodestring(raw)  # expect: HAL101[encodestring]


def merge(defaults, overrides):
    if not isinstance(overrides, collections.Mapping):  # expect: HAL101[Mapping]
        raise TypeError("overrides must be a mapping")
    result = OrderedDict(defaults)
    for key, value in overrides.iteritems():
        result[key] = value
    return result


def pairwise_sum(a, b):
    return [x + y for x, y in izip(a, b)]


def interleave(a, b):
    return list(itertools.izip_longest(a, b))  # expect: HAL101[izip_longest]


def counts(words):
    table = {}
    for word in words:
        if table.has_key(word):  # expect: HAL101[has_key]
            table[word] += 1
        else:
            table[word] = 1
    return sorted({}.iteritems())  # expect: HAL101[iteritems]


def stamp():
    start = time.clock()  # expect: HAL101[clock]
    cwd = os.getcwdu()  # expect: HAL101[getcwdu]
    distro = platform.linux_distribution()  # expect: HAL101[linux_distribution]
    return start, cwd, distro


def dump(obj, path):
    with open(path, "wb") as fh:
        pickle.dump(obj, fh, 2)
    buf = StringIO()
    buf.write(repr(obj))
    return urljoin("file:///", path)


def main():
    print(ALPHABET[:5], BIG)
    print(counts(["a", "b", "a"]))
    print(stamp())


if __name__ == "__main__":
    main()
