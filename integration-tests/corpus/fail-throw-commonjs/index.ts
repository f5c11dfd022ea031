import { check } from "./limits";

check(2);
