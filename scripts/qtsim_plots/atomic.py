"""Output folders that never lose a user's data: marked, replaced only when ours, swapped atomically.

Every folder written through OutputFolder carries a marker, .qtsim_output.json (the same format as
`qtsim run` writes): {"files": [every regular file written, relative, '/'-separated, sorted],
"format": "qtsim-output", "version": 1, "writer": "<program>"}, as json.dumps(indent=2,
sort_keys=True) plus a newline. An existing target is replaced only when it is empty or
qtsim-written: a real folder with a valid marker, every file in it listed, every subfolder made of
listed files or itself qtsim-written (e.g. plot_run.py's figures/ inside a run folder).

The new folder is staged beside the target (.<name>.qtsim-staging-<pid>-<hex>, flock-ed while it
exists, the marker written last) and swapped in with renameat2(RENAME_EXCHANGE): a kill at any
moment leaves the old or the new folder, complete. The old one is then deleted file by listed file;
anything foreign that appeared meanwhile is left with a warning. Where renameat2 is missing (or the
file system refuses it) the fallback renames the old folder to .<name>.qtsim-old-<pid>-<hex> first,
so a kill between its two renames leaves the old folder under that hidden name.
"""
import ctypes
import errno
import fcntl
import json
import os
import secrets
import shutil
import stat
import sys

MARKER = ".qtsim_output.json"
FORMAT = "qtsim-output"
VERSION = 1
AT_FDCWD, RENAME_NOREPLACE, RENAME_EXCHANGE = -100, 1, 2
ADVICE = "choose another folder, or move the files away yourself"


class OutputTargetError(Exception):
    """An output folder that may not be written (the message names it and says what to do)."""


def marker_text(writer, files):
    """The marker's exact text for `files` (relative '/'-separated paths) written by `writer`."""
    doc = {"files": sorted(files), "format": FORMAT, "version": VERSION, "writer": writer}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def _listed_path(rel):
    parts = rel.split("/") if isinstance(rel, str) else [""]
    return all(p not in ("", ".", "..") and "\0" not in p for p in parts)


def read_marker(folder):
    """The set of files the marker of `folder` lists, or None when it has no valid marker."""
    try:
        fd = os.open(os.path.join(folder, MARKER), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with open(fd, encoding="utf-8") as f:
            doc = json.load(f) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not (isinstance(doc, dict) and doc.get("format") == FORMAT and type(doc.get("version")) is int
            and doc["version"] == VERSION
            and isinstance(doc.get("files"), list) and all(_listed_path(p) for p in doc["files"])):
        return None
    return set(doc["files"])


def _marked_folder(entry):
    return entry.is_dir(follow_symlinks=False) and read_marker(entry.path) is not None


def _entries(folder):
    return sorted(os.scandir(folder), key=lambda e: e.name)


def _foreign_in(folder, files, rel):
    """(path, kind) of the first entry under folder that `files` does not account for, or None."""
    for entry in _entries(folder):
        path = rel + entry.name
        if not rel and entry.name == MARKER and entry.is_file(follow_symlinks=False):
            continue
        if entry.is_symlink():
            return path, "link"
        if entry.is_dir():
            if _marked_folder(entry):
                found = first_foreign(entry.path)
                found = found and (path + "/" + found[0], found[1])
            else:
                found = _foreign_in(entry.path, files, path + "/")
            if found:
                return found
        elif not (entry.is_file() and path in files):
            return path, "file" if entry.is_file() else "other"
    return None


def first_foreign(folder):
    """(relative path, kind) of the first entry of `folder` that no qtsim tool wrote, or None; kind is
    file, link, other (neither file nor folder), unmarked (no marker at all) or marker (an invalid one)."""
    files = read_marker(folder)
    if files is not None:
        return _foreign_in(folder, files, "")
    if os.path.lexists(os.path.join(folder, MARKER)):
        return MARKER, "marker"
    names = sorted(os.listdir(folder))
    return (names[0], "unmarked") if names else None


WHY = {"file": "it holds {}, which no qtsim tool wrote (no " + MARKER + " lists it)",
       "unmarked": "it holds {}, which no qtsim tool wrote (no " + MARKER + " lists it)",
       "link": "it holds {}, a symbolic link, which no qtsim tool writes",
       "other": "it holds {}, which is neither a file nor a folder",
       "marker": "its {} is not a valid qtsim marker (format " + FORMAT + ", version 1)"}


def _is_cwd_or_above(path):
    real, cwd = os.path.realpath(path), os.path.realpath(os.getcwd())
    return cwd == real or cwd.startswith(real.rstrip(os.sep) + os.sep)


def _refusal(path):
    """Why the output folder `path` may not be written (a sentence that says what to do), or None."""
    if _is_cwd_or_above(path):
        return "it is the current folder or a folder above it; choose another folder"
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode) or not stat.S_ISDIR(mode):
        what = "a symbolic link" if stat.S_ISLNK(mode) else "not a folder"
        return f"it is {what}; choose another folder, or move it away yourself"
    found = first_foreign(path)
    return found and f"{WHY[found[1]].format(found[0])}; {ADVICE}"


def check_target(target, shown=None):
    """Raises OutputTargetError unless `target` is absent, an empty folder or a qtsim-written one."""
    shown = target if shown is None else shown
    try:
        why = _refusal(os.path.abspath(target))
    except OSError as error:
        raise OutputTargetError(f"{shown}: cannot check it: {error.strerror}") from None
    if why:
        raise OutputTargetError(f"{shown}: not replaced: {why}")


def _rmdir(folder):
    """True when `folder` is gone."""
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True


def _remove_listed(folder, files, rel):
    """Removes the listed files and the emptied folders under `folder`; returns the first path left, or None."""
    left = None
    for entry in _entries(folder):
        path = rel + entry.name
        if not rel and entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            if _marked_folder(entry):
                inner = remove_written(entry.path)
                inner = inner and path + "/" + inner
            else:
                inner = _remove_listed(entry.path, files, path + "/") or (None if _rmdir(entry.path) else path)
            left = left or inner
        elif entry.is_file(follow_symlinks=False) and path in files:
            os.unlink(entry.path)
        else:
            left = left or path
    return left


def remove_written(folder):
    """Deletes only what qtsim wrote in `folder` (its marker last, once nothing else is left) and the
    emptied folders; returns the relative path of the first entry left behind, or None when all is gone."""
    files = read_marker(folder)
    left = _remove_listed(folder, files or set(), "")
    if left is None and files is not None:
        os.unlink(os.path.join(folder, MARKER))
    return left or (None if _rmdir(folder) else ".")


def _discard(folder, name, who):
    """remove_written(folder), with a warning on stderr naming what is left and where (never raises)."""
    try:
        left = remove_written(folder)
    except OSError as error:
        left = f"something it cannot remove ({error.strerror})"
    if left:
        print(f"{who}: warning: {folder}: the previous {name} is left there: it holds {left}, which no qtsim "
              "tool wrote; move what you need away, then delete the folder", file=sys.stderr)


def _flock(path, wait=False):
    """An fd on directory `path` holding an exclusive flock, or None when another process holds one."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _same(fd, path):
    """True when `path` is still the directory that `fd` was opened on."""
    try:
        a, b = os.fstat(fd), os.lstat(path)
    except FileNotFoundError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def clear_stale(parent, name, who):
    """Removes the staging and old folders of `name` that killed writers left in `parent` (those that no
    live process holds locked); touches no other entry. `who` prefixes warnings."""
    prefixes = (f".{name}.qtsim-staging-", f".{name}.qtsim-old-")
    for entry in _entries(parent):
        if not entry.name.startswith(prefixes) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = _flock(entry.path)
        except OSError:
            continue
        if fd is None:
            continue  # a live writer holds it
        try:
            if not _same(fd, entry.path):
                continue
            if read_marker(entry.path) is None:
                shutil.rmtree(entry.path, ignore_errors=True)  # an unfinished staging folder: all ours
            else:
                _discard(entry.path, name, who)  # a complete one, or an old folder: what its marker lists
        finally:
            os.close(fd)


class _NoRenameat2(Exception):
    pass


def _renameat2(source, target, flags):
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        raise _NoRenameat2()
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if function(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags) != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise _NoRenameat2()
        raise OSError(code, os.strerror(code), source, None, target)


def _hidden(parent, name, kind):
    return os.path.join(parent, f".{name}.qtsim-{kind}-{os.getpid()}-{secrets.token_hex(8)}")


def list_files(folder, rel=""):
    """Sorted relative paths of the regular files under `folder`, leaving out nested qtsim-written folders
    and the top marker; raises OutputTargetError on anything that is neither a file nor a folder."""
    files = []
    for entry in _entries(folder):
        path = rel + entry.name
        if entry.is_symlink() or not (entry.is_file() or entry.is_dir()):
            raise OutputTargetError(f"{path}: only regular files and folders go into an output folder")
        if entry.is_dir():
            files += [] if read_marker(entry.path) is not None else list_files(entry.path, path + "/")
        elif rel or entry.name != MARKER:
            files.append(path)
    return sorted(files)


class OutputFolder:
    """with OutputFolder(target, writer) as staging: write the folder's files into staging; on success
    the marked folder replaces target atomically; on an exception target is left as it was.
    Raises OutputTargetError (on entry, or at the end if target changed) when target may not be replaced."""

    def __init__(self, target, writer):
        self.shown, self.writer = target, writer
        self.target = os.path.abspath(target)
        self.parent, self.name = os.path.split(self.target)
        self.staging, self._fd, self._placed = None, None, False

    def __enter__(self):
        self._check_locked()
        try:
            os.makedirs(self.parent, exist_ok=True)
            clear_stale(self.parent, self.name, self.writer)
            while self._fd is None:
                self._make_staging()
        except OSError as error:
            self._close()
            if self.staging:
                shutil.rmtree(self.staging, ignore_errors=True)
            raise OutputTargetError(f"{self.shown}: cannot create it: {error}") from None
        return self.staging

    def __exit__(self, kind, value, traceback):
        try:
            if kind is None:
                with open(os.path.join(self.staging, MARKER), "w", encoding="utf-8", newline="\n") as f:
                    f.write(marker_text(self.writer, list_files(self.staging)))
                self._commit()
        except OSError as error:
            raise OutputTargetError(f"{self.shown}: not written: {error}") from None
        finally:
            if not self._placed and _same(self._fd, self.staging):  # still our staging folder
                shutil.rmtree(self.staging, ignore_errors=True)
            self._close()
        return False

    def _make_staging(self):
        """Creates and locks a new staging folder; leaves self._fd None if another writer's sweep of
        stale folders took it before the lock (the caller then tries a new name)."""
        self.staging = _hidden(self.parent, self.name, "staging")
        os.mkdir(self.staging)
        try:
            self._fd = _flock(self.staging)
        except FileNotFoundError:
            return
        if self._fd is not None and not _same(self._fd, self.staging):
            self._close()

    def _close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _commit(self):
        """Puts staging at target, then removes the old folder (if any) that it replaced."""
        while not self._placed:
            old_fd = self._lock_target()
            try:
                check_target(self.target, self.shown)
                if old_fd is None:
                    self._placed = self._rename_new()  # False: target appeared meanwhile, replace it
                else:
                    old = self._swap()
                    _discard(old, self.name, self.writer)
            finally:
                if old_fd is not None:
                    os.close(old_fd)

    def _check_locked(self):
        """check_target while holding target's lock, so that no writer of ours swaps it mid-walk."""
        fd = self._lock_target()
        try:
            check_target(self.target, self.shown)
        finally:
            if fd is not None:
                os.close(fd)

    def _lock_target(self):
        """None when target is absent; else an fd locking it, so that the old folder stays locked once
        swapped out and writers of one target commit one at a time."""
        while True:
            try:
                fd = _flock(self.target, wait=True)
            except FileNotFoundError:
                return None
            except OSError as error:
                check_target(self.target, self.shown)  # a symbolic link or a file: says so
                raise OutputTargetError(f"{self.shown}: cannot lock it: {error.strerror}") from None
            if _same(fd, self.target):
                return fd
            os.close(fd)

    def _rename_new(self):
        """Renames staging to the absent target; False if target exists after all."""
        try:
            _renameat2(self.staging, self.target, RENAME_NOREPLACE)
        except _NoRenameat2:
            try:
                os.rename(self.staging, self.target)  # replaces at most an empty folder
            except OSError as error:
                if error.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    return False
                raise
        except FileExistsError:
            return False
        return True

    def _swap(self):
        """Swaps staging and target; returns where the old folder now lies."""
        try:
            _renameat2(self.staging, self.target, RENAME_EXCHANGE)
            self._placed = True
            return self.staging
        except _NoRenameat2:
            old = _hidden(self.parent, self.name, "old")
            os.rename(self.target, old)
            try:
                os.rename(self.staging, self.target)
            except BaseException:
                os.rename(old, self.target)
                raise
            self._placed = True
            return old
