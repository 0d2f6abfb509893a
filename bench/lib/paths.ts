import { fileURLToPath } from "node:url";

/** The repository root, whatever the current directory is. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
