// The virtual file system's flat paths ("/research/notes.md") as a folder tree for the file viewer.

/** {name, path, folders: [...], files: [{name, path}]} with folders and files sorted by name. */
export function fileTree(paths) {
  const root = { name: "/", path: "/", folders: new Map(), files: [] };
  for (const path of [...paths].sort()) {
    const parts = path.split("/").filter(Boolean);
    let folder = root;
    parts.slice(0, -1).forEach((part, n) => {
      if (!folder.folders.has(part)) {
        folder.folders.set(part, { name: part, path: "/" + parts.slice(0, n + 1).join("/"), folders: new Map(), files: [] });
      }
      folder = folder.folders.get(part);
    });
    folder.files.push({ name: parts.at(-1) ?? path, path });
  }
  return toArrays(root);
}

function toArrays(folder) {
  return { ...folder, folders: [...folder.folders.values()].map(toArrays) };
}
