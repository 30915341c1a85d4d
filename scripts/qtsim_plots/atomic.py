"""Writing a whole output folder atomically: build it under a hidden staging name, then rename it
into place, so a failed or interrupted script leaves the previous folder (or none), never half of one."""
import os
import shutil
import tempfile


class StagedFolder:
    """with StagedFolder(target) as staging: write into staging; on success it replaces target."""

    def __init__(self, target):
        self.target = os.path.normpath(os.path.abspath(target))

    def __enter__(self):
        parent = os.path.dirname(self.target)
        os.makedirs(parent, exist_ok=True)
        self.staging = tempfile.mkdtemp(prefix=f".{os.path.basename(self.target)}.staging-", dir=parent)
        return self.staging

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return False
        os.chmod(self.staging, 0o755)
        old = None
        if os.path.exists(self.target):
            old = tempfile.mkdtemp(prefix=f".{os.path.basename(self.target)}.old-", dir=os.path.dirname(self.target))
            os.rmdir(old)
            os.rename(self.target, old)
        os.rename(self.staging, self.target)
        if old is not None:
            shutil.rmtree(old)
        return False


class StagedFiles:
    """with StagedFiles(out_dir) as staging: write files into staging; on success each is moved
    (os.replace) into out_dir, which keeps its other files. All files are complete before any moves."""

    def __init__(self, out_dir):
        self.out_dir = os.path.normpath(os.path.abspath(out_dir))

    def __enter__(self):
        os.makedirs(self.out_dir, exist_ok=True)
        self.staging = tempfile.mkdtemp(prefix=".staging-", dir=self.out_dir)
        return self.staging

    def __exit__(self, kind, value, traceback):
        try:
            if kind is None:
                for name in sorted(os.listdir(self.staging)):
                    os.replace(os.path.join(self.staging, name), os.path.join(self.out_dir, name))
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        return False
