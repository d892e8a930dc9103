/* Generated from src-tauri by `npm run bindings` (json-schema-to-typescript). Do not edit. */

/**
 * What a photo shows; the pack leads with the newest face photo.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhotoKind".
 */
export type PhotoKind = 'face' | 'full_length' | 'mark';
/**
 * A staff member's role; agency staff carry the end of their engagement.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StaffRole".
 */
export type StaffRole =
  | {
      role: 'manager';
    }
  | {
      role: 'keyworker';
    }
  | {
      ends_on: string;
      role: 'agency';
    };
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MarkKind".
 */
export type MarkKind = 'scar' | 'tattoo' | 'piercing' | 'birthmark' | 'other';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TravelCardKind".
 */
export type TravelCardKind = 'oyster' | 'zip_oyster' | 'bus_pass' | 'railcard' | 'other';
/**
 * The child's legal status in care.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "LegalStatus".
 */
export type LegalStatus =
  ('placement_order' | 'other') | 'section20' | 'care_order' | 'interim_care_order' | 'remand' | 'emergency_protection';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PlacementType".
 */
export type PlacementType =
  'childrens_home' | 'foster_care' | 'supported_accommodation' | 'secure_childrens_home' | 'kinship_care' | 'other';
/**
 * The police grading of risk for a missing person, also used for the carer's view and for places.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskGrading".
 */
export type RiskGrading = 'no_apparent_risk' | 'low' | 'medium' | 'high';
/**
 * The carer's assessment of one risk.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Concern".
 */
export type Concern = 'no_concern' | 'suspected' | 'known';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReadinessState".
 */
export type ReadinessState = 'not_ready' | 'attention' | 'ready';
/**
 * The groups of Part 1, lettered as on the London form.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Group".
 */
export type Group =
  | 'administration'
  | 'identity'
  | 'description'
  | 'placement'
  | 'health'
  | 'phones_online'
  | 'money_travel'
  | 'people'
  | 'places'
  | 'missing_history'
  | 'risks';
/**
 * How much a field matters to the police in the first hours.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Priority".
 */
export type Priority = 'optional' | 'critical' | 'high';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UnlockInput".
 */
export type UnlockInput =
  | {
      method: 'pin';
      pin: string;
      staff_name: string;
    }
  | {
      method: 'passphrase';
      passphrase: string;
    }
  | {
      method: 'recovery_key';
      recovery_key: string;
    };

/**
 * Generated from src-tauri (cargo test -p grabpack-app bindings). Do not edit.
 */
export interface Bindings {
  commands: Commands;
  error: UiError;
}
export interface Commands {
  add_photo: {
    args: {
      input: AddPhotoInput;
    };
    result: PhotoInfo;
  };
  add_staff: {
    args: {
      input: AddStaffInput;
    };
    result: StaffMember;
  };
  app_status: {
    args: null;
    result: AppStatus;
  };
  audit_list: {
    args: {
      input: AuditQuery;
    };
    result: AuditEntry[];
  };
  audit_verify: {
    args: null;
    result: ChainReport;
  };
  child: {
    args: {
      input: ChildRef;
    };
    result: ChildRecord;
  };
  create_child: {
    args: {
      input: CreateChildInput;
    };
    result: string;
  };
  dashboard: {
    args: null;
    result: DashboardCard[];
  };
  diff: {
    args: {
      input: DiffInput;
    };
    result: FieldChange[];
  };
  disable_staff: {
    args: {
      input: StaffRef;
    };
    result: null;
  };
  fields: {
    args: null;
    result: FieldView[];
  };
  history: {
    args: {
      input: ChildRef;
    };
    result: RevisionInfo[];
  };
  lock: {
    args: null;
    result: null;
  };
  missing_preview: {
    args: {
      input: ChildRef;
    };
    result: MissingPreview;
  };
  photo: {
    args: {
      input: PhotoRef;
    };
    result: string;
  };
  readiness: {
    args: {
      input: ChildRef;
    };
    result: ReasonView[];
  };
  review: {
    args: {
      input: ReviewInput;
    };
    result: RevisionInfo;
  };
  save_form: {
    args: {
      input: SaveFormInput;
    };
    result: RevisionInfo;
  };
  set_settings: {
    args: {
      input: HomeSettings;
    };
    result: SessionView;
  };
  settings: {
    args: null;
    result: HomeSettings;
  };
  setup_store: {
    args: {
      input: SetupInput;
    };
    result: SetupResult;
  };
  staff: {
    args: null;
    result: StaffMember[];
  };
  still_here: {
    args: null;
    result: null;
  };
  unlock: {
    args: {
      input: UnlockInput;
    };
    result: SessionView;
  };
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AddPhotoInput".
 */
export interface AddPhotoInput {
  /**
   * The file's bytes, base64.
   */
  bytes_base64: string;
  child_id: string;
  kind: PhotoKind;
  /**
   * Overrides the camera's date.
   */
  taken_on?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhotoInfo".
 */
export interface PhotoInfo {
  added_at: string;
  height: number;
  id: string;
  kind: PhotoKind;
  sha256: string;
  taken_on?: string | null;
  width: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AddStaffInput".
 */
export interface AddStaffInput {
  name: string;
  pin?: string | null;
  role: StaffRole;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StaffMember".
 */
export interface StaffMember {
  created_at: string;
  disabled_at?: string | null;
  has_pin: boolean;
  id: string;
  name: string;
  role: StaffRole;
}
/**
 * What the app shows before anyone unlocks it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AppStatus".
 */
export interface AppStatus {
  /**
   * Started with GRABPACK_DEMO=1 or --demo on a demo store.
   */
  demo: boolean;
  /**
   * Whether the system keychain works here: PINs need it.
   */
  keychain_available: boolean;
  session?: SessionView | null;
  /**
   * Staff with a PIN on this device, for the unlock screen's picker (names only).
   */
  staff_on_device: string[];
  store_exists: boolean;
}
/**
 * Who is unlocked, and what they may do.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SessionView".
 */
export interface SessionView {
  /**
   * `staff`, `passphrase` or `recovery_key`.
   */
  actor_kind: string;
  actor_name: string;
  /**
   * The app locks itself after this much idle time.
   */
  auto_lock_seconds: number;
  can_administer: boolean;
  home_name: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AuditQuery".
 */
export interface AuditQuery {
  action?: string | null;
  child_id?: string | null;
  limit?: number | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AuditEntry".
 */
export interface AuditEntry {
  action: string;
  actor: string;
  at: string;
  child_id?: string | null;
  detail: string;
  hash: string;
  seq: number;
}
/**
 * What `verify` found.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChainReport".
 */
export interface ChainReport {
  /**
   * The first row whose hash does not follow from the rows before it.
   */
  broken_at?: number | null;
  entries: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildRef".
 */
export interface ChildRef {
  child_id: string;
}
/**
 * A child's current record.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildRecord".
 */
export interface ChildRecord {
  archived_at?: string | null;
  form: ChildForm;
  id: string;
  /**
   * Newest first: face photos lead, then by date taken.
   */
  photos: PhotoInfo[];
  revision: RevisionInfo;
}
/**
 * Part 1 of the grab pack: the live profile of one child, groups A to K.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildForm".
 */
export interface ChildForm {
  administration?: Administration;
  /**
   * Field paths (as in the field table) the carer confirmed have nothing to record, such as
   * "no medication" or "no marks": they count as answered for readiness.
   */
  confirmed_none?: string[];
  description?: Description;
  /**
   * Field paths the carer marked "do not share": kept in the record, left out of every pack.
   */
  do_not_share?: string[];
  health?: Health;
  identity?: Identity;
  missing_history?: MissingHistory;
  money_travel?: MoneyTravel;
  people?: People;
  phones_online?: PhonesOnline;
  placement?: Placement;
  places?: Places;
  risks?: Risks;
}
/**
 * A. Administration.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Administration".
 */
export interface Administration {
  /**
   * The child's own words about what they would want police and carers to know.
   */
  child_contribution?: string;
  /**
   * Whether the child was told when this form will be shared.
   */
  child_told_when_shared?: boolean | null;
  /**
   * Who completed the form (name, role, organisation).
   */
  completed_by?: CompletedBy;
  completed_on?: string | null;
  /**
   * Overrides the home's default protective marking for this child's packs.
   */
  protective_marking?: string;
  transfer_history?: Transfer[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "CompletedBy".
 */
export interface CompletedBy {
  name?: string;
  organisation?: string;
  role?: string;
}
/**
 * A handover of the form between placements.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Transfer".
 */
export interface Transfer {
  date?: string | null;
  from?: string;
  note?: string;
  to?: string;
}
/**
 * C. Description (photos are stored beside the form, not inside it).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Description".
 */
export interface Description {
  build?: string;
  eyes?: string;
  facial_hair?: string;
  /**
   * Glasses, hearing aids and other aids.
   */
  glasses_aids?: string;
  hair?: string;
  height_cm?: number | null;
  /**
   * Scars, tattoos, piercings, birthmarks.
   */
  marks?: Mark[];
  usual_dress?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Mark".
 */
export interface Mark {
  description?: string;
  kind?: MarkKind & string;
  location?: string;
}
/**
 * E. Health.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Health".
 */
export interface Health {
  allergies?: string;
  conditions?: string;
  /**
   * Disability, learning disability, autism, communication needs.
   */
  disability_communication?: string;
  gp?: Contact;
  medication?: Medication[];
  /**
   * Mental health, self-harm and suicide risk, in the carer's words.
   */
  mental_health?: string;
  pregnancy?: string;
  /**
   * Whether there is a known risk of self-harm or suicide (a page-one label).
   */
  self_harm_risk?: boolean | null;
  substance_use?: string;
}
/**
 * A person or team reached by phone and email.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Contact".
 */
export interface Contact {
  email?: string;
  name?: string;
  phone?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Medication".
 */
export interface Medication {
  dose?: string;
  /**
   * What happens if doses are missed: this is what makes a short absence dangerous.
   */
  effect_if_missed?: string;
  name?: string;
}
/**
 * B. Identity.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Identity".
 */
export interface Identity {
  accent?: string;
  date_of_birth?: string | null;
  /**
   * Ethnicity and appearance as the police would describe it.
   */
  ethnicity_appearance?: string;
  first_language?: string;
  gender?: string;
  /**
   * Previous police references, National Referral Mechanism reference and the like.
   */
  identifiers?: Identifier[];
  immigration_status?: string;
  interpreter_needed?: boolean | null;
  /**
   * Known-as names, nicknames, aliases and other spellings.
   */
  known_as?: string[];
  /**
   * Full legal name, in the child's own script where they write it so.
   */
  legal_name?: string;
  nationality?: string;
  /**
   * Passport or ID held, and where it is kept.
   */
  passport_id?: string;
  /**
   * Unaccompanied asylum-seeking child.
   */
  unaccompanied_asylum_seeker?: boolean | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Identifier".
 */
export interface Identifier {
  kind?: string;
  value?: string;
}
/**
 * J. Missing history. The app adds its own episodes; this holds what came before it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MissingHistory".
 */
export interface MissingHistory {
  police_references?: string[];
  previous_episodes?: PastEpisode[];
  /**
   * Usual pattern: times, triggers, routes.
   */
  usual_pattern?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PastEpisode".
 */
export interface PastEpisode {
  duration_hours?: number | null;
  harm?: string;
  police_reference?: string;
  started?: string | null;
  where_found?: string;
  who_with?: string;
}
/**
 * G. Money and travel. Bank cards by their last 4 digits only.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MoneyTravel".
 */
export interface MoneyTravel {
  bank_cards?: BankCard[];
  cash_benefits?: string;
  travel_cards?: TravelCard[];
  vehicles?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "BankCard".
 */
export interface BankCard {
  bank?: string;
  /**
   * Exactly four digits: the whole number is never stored.
   */
  last4?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TravelCard".
 */
export interface TravelCard {
  kind?: TravelCardKind & string;
  /**
   * The card's printed number or a note (Oyster numbers help police trace journeys).
   */
  reference?: string;
}
/**
 * H. People.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "People".
 */
export interface People {
  /**
   * Associates, including adults of concern and their vehicles.
   */
  associates?: Person[];
  family?: Person[];
  friends?: Person[];
  /**
   * Boyfriend or girlfriend.
   */
  partners?: Person[];
  /**
   * Trusted adults the child would go to.
   */
  trusted_adults?: Person[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Person".
 */
export interface Person {
  address?: Address;
  handles?: SocialHandle[];
  name?: string;
  /**
   * An adult or peer of concern (exploitation, violence): highlighted in the pack.
   */
  of_concern?: boolean;
  phones?: string[];
  relationship?: string;
  risk_note?: string;
  /**
   * Vehicle make, colour and registration, for associates above all.
   */
  vehicle?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Address".
 */
export interface Address {
  /**
   * The London borough or local authority area, used to route a report.
   */
  borough?: string;
  lines?: string[];
  postcode?: string;
  town?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SocialHandle".
 */
export interface SocialHandle {
  handle?: string;
  /**
   * Snapchat, Instagram, TikTok, a game's network, ...
   */
  platform?: string;
}
/**
 * F. Phones and online. Handles only: never passwords.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhonesOnline".
 */
export interface PhonesOnline {
  email?: string;
  location_sharing?: string;
  mobiles?: Phone[];
  social_handles?: SocialHandle[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Phone".
 */
export interface Phone {
  handset?: string;
  network?: string;
  note?: string;
  number?: string;
}
/**
 * D. Placement and professionals.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Placement".
 */
export interface Placement {
  address?: Address;
  /**
   * Contact restrictions and court orders: people the child must not see.
   */
  contact_restrictions?: string;
  /**
   * Education, health and care plan or special educational needs.
   */
  ehc_plan_sen?: string;
  family_addresses?: Address[];
  /**
   * The number that is answered 24 hours a day.
   */
  home_phone_24h?: string;
  /**
   * The council the placement is in.
   */
  host_council?: string;
  /**
   * Independent Reviewing Officer.
   */
  iro?: Professional;
  legal_status?: LegalStatus | null;
  /**
   * The placing council's out-of-hours (emergency duty) team.
   */
  out_of_hours?: Contact;
  placement_start?: string | null;
  placement_type?: PlacementType | null;
  /**
   * The placing (responsible) council.
   */
  placing_council?: string;
  previous_placements?: PreviousPlacement[];
  registered_manager?: Contact;
  school?: School;
  social_worker?: Professional;
}
/**
 * A named professional with their team.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Professional".
 */
export interface Professional {
  email?: string;
  name?: string;
  phone?: string;
  team?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PreviousPlacement".
 */
export interface PreviousPlacement {
  address?: Address;
  description?: string;
  from?: string | null;
  to?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "School".
 */
export interface School {
  address?: Address;
  contact?: Contact;
  name?: string;
}
/**
 * I. Places.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Places".
 */
export interface Places {
  /**
   * Places the child was found in past episodes.
   */
  found_before?: Place[];
  /**
   * Locations frequented: where, why, when.
   */
  frequented?: Place[];
  out_of_area?: Place[];
  risk_assessed?: RiskAssessedLocation[];
  /**
   * Places of significance and interests.
   */
  significant?: Place[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Place".
 */
export interface Place {
  address?: Address;
  name?: string;
  when?: string;
  why?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskAssessedLocation".
 */
export interface RiskAssessedLocation {
  address?: Address;
  /**
   * Who local to the place can help (a shop, a youth worker, a neighbourhood officer).
   */
  local_contact?: string;
  name?: string;
  reason?: string;
  risk_level?: RiskGrading | null;
}
/**
 * K. Risks, each with the carer's assessment and a note.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Risks".
 */
export interface Risks {
  abduction_warning_notices?: RiskEntry;
  child_protection_plan?: RiskEntry;
  /**
   * Criminal exploitation, county lines, gangs.
   */
  criminal_exploitation?: RiskEntry;
  /**
   * Domestic abuse and family conflict.
   */
  domestic_abuse?: RiskEntry;
  /**
   * FGM, forced marriage and honour-based abuse.
   */
  harmful_practices?: RiskEntry;
  radicalisation?: RiskEntry;
  risk_to_others?: RiskEntry;
  sexual_exploitation?: RiskEntry;
  /**
   * Trafficking and modern slavery.
   */
  trafficking?: RiskEntry;
  /**
   * Bail conditions, orders, youth justice.
   */
  youth_justice?: RiskEntry;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskEntry".
 */
export interface RiskEntry {
  /**
   * None means "not yet assessed", which is not the same as "no concern".
   */
  concern?: Concern | null;
  note?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RevisionInfo".
 */
export interface RevisionInfo {
  changed_paths: string[];
  kind: string;
  note: string;
  saved_at: string;
  saved_by: string;
  saved_by_name: string;
  seq: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "CreateChildInput".
 */
export interface CreateChildInput {
  form: ChildForm;
  note: string;
}
/**
 * A child's card on the dashboard.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DashboardCard".
 */
export interface DashboardCard {
  age?: number | null;
  critical_missing: number;
  face_photo_id?: string | null;
  id: string;
  known_as: string[];
  legal_name: string;
  reasons: ReasonView[];
  state: ReadinessState;
}
/**
 * One reason on a dashboard card, with the words to show.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReasonView".
 */
export interface ReasonView {
  /**
   * Stops the pack being ready (rather than needing attention).
   */
  blocks_ready: boolean;
  code: string;
  message: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DiffInput".
 */
export interface DiffInput {
  child_id: string;
  from_seq: number;
  to_seq: number;
}
/**
 * One field that differs; `None` means absent or empty on that side.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FieldChange".
 */
export interface FieldChange {
  after?: string | null;
  before?: string | null;
  path: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StaffRef".
 */
export interface StaffRef {
  name: string;
}
/**
 * One row of the field table, for the form screens.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FieldView".
 */
export interface FieldView {
  group: Group;
  group_title: string;
  label: string;
  letter: string;
  path: string;
  priority: Priority;
}
/**
 * What the Missing screen shows first: the emergency choice, the read-out for the call and the
 * pack, built in memory.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MissingPreview".
 */
export interface MissingPreview {
  age?: number | null;
  /**
   * 12 or under: report at once on 999.
   */
  call_999_now: boolean;
  child_id: string;
  legal_name: string;
  page_count: number;
  pdf_base64: string;
  /**
   * The 30-second read-out for the 101 or 999 call.
   */
  readout: string;
  revision: number;
  sha256_hex: string;
  warnings: string[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhotoRef".
 */
export interface PhotoRef {
  photo_id: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReviewInput".
 */
export interface ReviewInput {
  child_id: string;
  note: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SaveFormInput".
 */
export interface SaveFormInput {
  child_id: string;
  form: ChildForm;
  note: string;
}
/**
 * Home-wide settings, kept encrypted in the store.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "HomeSettings".
 */
export interface HomeSettings {
  auto_lock_minutes?: number;
  home_name?: string;
  /**
   * Printed on every page of every pack.
   */
  protective_marking?: string;
  readiness?: ReadinessSettings;
}
/**
 * The home's thresholds. Settings, not constants: a home may review more often.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReadinessSettings".
 */
export interface ReadinessSettings {
  /**
   * A face photo older than this many days makes the pack need attention.
   */
  photo_max_age_days: number;
  /**
   * Part 1 must be reviewed at least this often.
   */
  review_interval_days: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SetupInput".
 */
export interface SetupInput {
  home_name: string;
  manager_name: string;
  /**
   * The first manager's PIN on this device (needs the keychain).
   */
  manager_pin?: string | null;
  /**
   * For machines with no keychain, and for administrators.
   */
  passphrase?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SetupResult".
 */
export interface SetupResult {
  /**
   * Shown once, to print and keep in the home's safe. Never stored in the clear.
   */
  recovery_key: string;
  session: SessionView;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UiError".
 */
export interface UiError {
  /**
   * Stable across releases, e.g. `store.wrong_secret`, `app.locked`.
   */
  code: string;
  /**
   * For `form.invalid`: each broken rule at its field.
   */
  fields: FieldError[];
  message: string;
  /**
   * For `store.too_many_attempts`: how long to wait before the next try.
   */
  retry_after_seconds?: number | null;
}
/**
 * One broken rule, at one field.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FieldError".
 */
export interface FieldError {
  /**
   * Stable code, e.g. `form.card_not_last4`.
   */
  code: string;
  message: string;
  /**
   * Where, e.g. `money_travel.bank_cards[0].last4`.
   */
  path: string;
}
