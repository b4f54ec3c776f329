"""virtbind/_typed_views.py — record views of virtbind.typed: a domain stats
record or the guest info as an object with typed sub-records
(rec.block[0].rd_reqs, info.fs[0].disk[1].alias), built lazily from
libvirt-python's flat dict by the tables virtbind/typed.py holds (generated
by generator/gen_python_typed.c from the fields parsed out of the APIs' doc
text).  This file is the hand-written interpreter of those tables, like
typedparams/vb_tp_engine.c for libvirtbind; nothing in it is specific to one
libvirt API.

Laziness: a record keeps the dict it was made from.  The first access to a
group splits the dict by its first name segment (one pass), and builds only
that group; a record nobody looks at costs one small object.  Values are not
range-checked (they come from C typed parameters); a value whose Python type
is not the documented one, a name no table knows, a non-canonical index
("block.01.x") all go to `extra`, so nothing is lost."""

__all__ = ["View", "ListView", "Record"]


def _index(s):
    """'12' -> 12; None for anything but a canonical decimal index."""
    if s and s.isdigit() and s.isascii() and (s == "0" or s[0] != "0") and len(s) <= 9:
        return int(s)
    return None


def _accept(tp, v):
    t = type(v)
    if t is tp:
        return v
    if tp is float and t is int:
        return float(v)
    return _REJECT


_REJECT = object()


class View:
    """A group of fields: scalars (None when absent) and indexed sub-records
    (dict by index, {} when absent)."""

    __slots__ = ()
    _SCALARS: "dict[str, tuple[str, type]]" = {}   # name suffix -> (attr, type)
    _INDEXED: "tuple[tuple[str, str, type], ...]" = ()   # (prefix, attr, class)
    _PATH = ""

    def __repr__(self):
        parts = ["%s=%r" % (a, getattr(self, a)) for a in type(self).__slots__
                 if getattr(self, a) not in (None, {})]
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, a) == getattr(other, a) for a in type(self).__slots__)

    __hash__ = None  # type: ignore[assignment]


class ListView(View):
    """A group that is also the list of its own items (rec.block[0], len(rec.vcpu))."""

    __slots__ = ()

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items.values())


def _build(cls, pairs, extra):
    """A CLS from [(name suffix, full name, value)]; leftovers go to EXTRA."""
    obj = object.__new__(cls)
    setattr_ = object.__setattr__
    for attr, _ in cls._SCALARS.values():
        setattr_(obj, attr, None)
    for _, attr, _ in cls._INDEXED:
        setattr_(obj, attr, {})
    scalars, indexed = cls._SCALARS, cls._INDEXED
    subs = None
    for rest, full, v in pairs:
        f = scalars.get(rest)
        if f is not None:
            if type(v) is f[1]:
                setattr_(obj, f[0], v)
            else:
                v2 = _accept(f[1], v)
                if v2 is _REJECT:
                    extra[full] = v
                else:
                    setattr_(obj, f[0], v2)
            continue
        for pre, attr, icls in indexed:
            if pre:
                if not rest.startswith(pre):
                    continue
                r = rest[len(pre):]
            else:
                r = rest
            num, dot, tail = r.partition(".")
            if not dot or not num.isdigit():
                continue
            i = _index(num)
            if i is None:
                continue
            if subs is None:
                subs = {}
            bucket = subs.get(attr)
            if bucket is None:
                bucket = subs[attr] = (icls, {})
            bucket[1].setdefault(i, []).append((tail, full, v))
            break
        else:
            extra[full] = v
    if subs:
        for attr, (icls, byidx) in subs.items():
            setattr_(obj, attr, {i: _build(icls, byidx[i], extra) for i in sorted(byidx)})
    return obj


class Record:
    """A whole record: one attribute per group (None when the record has
    none of it), root scalars, `extra`, the flat `params` (the TypedParams
    class of the same fields) and to_dict() (the dict it came from)."""

    __slots__ = ("_raw", "_parts", "_xtra", "_params")
    _GROUPS: "dict[str, tuple[str, type]]" = {}    # first segment -> (attr, class)
    _ROOT: "dict[str, tuple[str, type]]" = {}      # names without '.' -> (attr, type)
    _BY_ATTR: "dict[str, str]" = {}                # group attr -> first segment
    _PARAMS = None                                  # the flat TypedParams class

    def __init__(self, raw):
        self._raw = raw
        self._parts = None

    def _split(self):
        parts = self._parts
        if parts is not None:
            return parts
        parts, xtra = {}, {}
        groups, root = self._GROUPS, self._ROOT
        for attr, _ in root.values():
            object.__setattr__(self, attr, None)
        for k, v in self._raw.items():
            g, dot, rest = k.partition(".")
            if dot:
                if g in groups:
                    lst = parts.get(g)
                    if lst is None:
                        lst = parts[g] = []
                    lst.append((rest, k, v))
                    continue
            else:
                f = root.get(k)
                if f is not None:
                    v2 = _accept(f[1], v)
                    if v2 is not _REJECT:
                        object.__setattr__(self, f[0], v2)
                        continue
            xtra[k] = v
        self._xtra = xtra
        self._parts = parts
        return parts

    def __getattr__(self, name):
        # only called for a slot not set yet: a group or root scalar not built
        key = type(self)._BY_ATTR.get(name)
        if key is None:
            if name in type(self).__slots__ and not name.startswith("_"):
                self._split()       # a root scalar
                return object.__getattribute__(self, name)
            raise AttributeError("%s has no attribute %r" % (type(self).__name__, name))
        parts = self._split()
        pairs = parts.get(key)
        v = None if pairs is None else _build(self._GROUPS[key][1], pairs, self._xtra)
        object.__setattr__(self, name, v)
        return v

    @property
    def extra(self):
        """Fields no table describes, by libvirt name (builds every group)."""
        self._split()
        for attr in type(self)._BY_ATTR:
            getattr(self, attr)
        return self._xtra

    @property
    def params(self):
        """The same fields as the flat TypedParams class."""
        try:
            return self._params
        except AttributeError:
            self._params = p = self._PARAMS._from_libvirt(self._raw)
            return p

    def to_dict(self):
        """libvirt-python's dict form (a copy of what the record came from)."""
        return dict(self._raw)

    def groups(self):
        """The names of the groups present, in table order."""
        parts = self._split()
        return [attr for attr, key in type(self)._BY_ATTR.items() if key in parts]

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._raw == other._raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self):
        parts = ["domain=%r" % (self.domain,)] if "domain" in type(self).__slots__ else []
        parts += ["%s=%r" % (a, getattr(self, a)) for a in self.groups()]
        parts += ["%s=%r" % (a, getattr(self, a)) for a, _ in self._ROOT.values()
                  if getattr(self, a) is not None]
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))
