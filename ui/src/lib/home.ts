// The kinds of home a store serves, in the words staff use (the Rust enum is HomeType).
import type { HomeType } from '../bindings/types';

export const HOME_TYPES: { value: HomeType; label: string }[] = [
  { value: 'childrens_home', label: "Children's home" },
  { value: 'foster_home', label: 'Foster home' },
  { value: 'supported_accommodation', label: 'Supported accommodation (16 and over)' },
  { value: 'other', label: 'Other' },
];
